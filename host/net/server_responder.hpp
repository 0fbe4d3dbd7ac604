// The Responder a handler gets: forwards each call to its connection on the loop thread.
// Internal to nexus_net.
#pragma once

#include "net/http_server.hpp"

#include <atomic>
#include <cstdint>
#include <memory>

namespace nexus::net::detail {

class Connection;

class ConnResponder final : public Responder, public std::enable_shared_from_this<ConnResponder> {
public:
    ConnResponder(std::shared_ptr<Connection> conn, uint64_t seq) : conn_(std::move(conn)), seq_(seq) {}
    ~ConnResponder() override;  // unanswered: the connection sends 500 (or cuts the stream)

    void respond(int status, HeaderList headers, std::string body) override;
    void begin_stream(int status, HeaderList headers) override;
    void write(std::string data) override;
    void end_stream() override;
    void on_cancel(std::function<void()> fn) override;
    bool cancelled() const override;

private:
    // Runs f(connection) on the loop thread: inline when already there and nothing posted
    // earlier is still queued (so calls stay in order), else posted.
    template <class F>
    void run(F&& f);

    std::shared_ptr<Connection> conn_;
    uint64_t seq_;
    std::atomic<unsigned> posted_{0};
};

}  // namespace nexus::net::detail
