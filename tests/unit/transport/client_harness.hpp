// Drives an HttpClient on a private io_context from the test thread and records what its
// callbacks saw.
#pragma once

#include "transport/http_client.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace nexus::test {

struct Outcome {
    int status = 0;
    net::HeaderList headers;
    std::vector<std::string> pieces;  // one per on_data call
    net::ClientError error = net::ClientError::none;
    std::string detail;
    int header_calls = 0;
    int done_calls = 0;
    bool data_after_done = false;
    std::string body() const;
};

using DataHook = std::function<bool(std::string_view, Outcome&)>;

class Harness {
public:
    boost::asio::io_context ioc;
    net::HttpClient client{&ioc};

    // Short timeouts so a hang fails the test quickly.
    static net::ClientRequest request(const std::string& url, const std::string& method = "GET");
    // Sends; `out` is filled as callbacks arrive. `hook` (optional) runs on each piece.
    std::shared_ptr<net::CancelToken> start(net::ClientRequest req, Outcome& out, DataHook hook = {});
    // Runs the loop until `done` holds or `limit` passes; false on timeout.
    bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = std::chrono::milliseconds(5000));
    // start + run until on_done.
    Outcome run(net::ClientRequest req, DataHook hook = {});
};

}  // namespace nexus::test
