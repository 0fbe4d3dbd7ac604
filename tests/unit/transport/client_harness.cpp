#include "client_harness.hpp"

#include <thread>

namespace nexus::test {

using namespace std::chrono;

std::string Outcome::body() const {
    std::string all;
    for (const auto& p : pieces) all += p;
    return all;
}

net::ClientRequest Harness::request(const std::string& url, const std::string& method) {
    net::ClientRequest req;
    req.method = method;
    req.url = url;
    req.timeouts.connect = milliseconds(1000);
    req.timeouts.first_byte = milliseconds(1000);
    req.timeouts.idle = milliseconds(1000);
    req.timeouts.total = milliseconds(3000);
    return req;
}

std::shared_ptr<net::CancelToken> Harness::start(net::ClientRequest req, Outcome& out, DataHook hook) {
    net::ClientCallbacks cb;
    cb.on_headers = [&out](int status, net::HeaderList&& headers) {
        out.status = status;
        out.headers = std::move(headers);
        ++out.header_calls;
    };
    cb.on_data = [&out, hook = std::move(hook)](std::string_view piece) {
        if (out.done_calls) out.data_after_done = true;
        out.pieces.emplace_back(piece);
        return hook ? hook(piece, out) : true;
    };
    cb.on_done = [&out](net::ClientError error, const std::string& detail) {
        out.error = error;
        out.detail = detail;
        ++out.done_calls;
    };
    return client.send(std::move(req), std::move(cb));
}

bool Harness::run_until(const std::function<bool()>& done, milliseconds limit) {
    auto deadline = steady_clock::now() + limit;
    while (!done()) {
        if (steady_clock::now() >= deadline) return false;
        if (ioc.stopped()) ioc.restart();  // ran out of work earlier
        if (ioc.run_one_for(milliseconds(20)) == 0 && ioc.stopped()) std::this_thread::sleep_for(milliseconds(1));
    }
    if (ioc.stopped()) ioc.restart();
    ioc.poll();  // let aborted handlers of closed sockets finish
    return true;
}

Outcome Harness::run(net::ClientRequest req, DataHook hook) {
    Outcome out;
    start(std::move(req), out, std::move(hook));
    run_until([&] { return out.done_calls > 0; });
    return out;
}

}  // namespace nexus::test
