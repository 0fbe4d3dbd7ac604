#include "transport/http_client.hpp"

#include "transport/client_state.hpp"
#include "transport/exchange.hpp"

#include <boost/asio/post.hpp>

namespace nexus::net {

namespace asio = boost::asio;
using client::ClientState;
using client::Exchange;

namespace {

class ExchangeCancelToken final : public CancelToken {
public:
    ExchangeCancelToken(std::weak_ptr<Exchange> ex, asio::io_context::executor_type executor)
        : ex_(std::move(ex)), executor_(executor) {}

    void cancel() override {
        asio::post(executor_, [ex = ex_] {
            if (auto live = ex.lock()) live->abort(ClientError::cancelled, "cancelled by the caller");
        });
    }

private:
    std::weak_ptr<Exchange> ex_;
    asio::io_context::executor_type executor_;
};

}  // namespace

struct HttpClient::Impl {
    std::shared_ptr<ClientState> state;
};

HttpClient::HttpClient(void* io_context)
    : impl_(std::make_unique<Impl>(Impl{std::make_shared<ClientState>(*static_cast<asio::io_context*>(io_context))})) {}

HttpClient::~HttpClient() { impl_->state->shutdown(); }

std::shared_ptr<CancelToken> HttpClient::send(ClientRequest req, ClientCallbacks cb) {
    auto ex = std::make_shared<Exchange>(impl_->state, std::move(req), std::move(cb));
    // Started from the loop so that no callback ever runs inside send().
    asio::post(impl_->state->ioc, [ex] { ex->start(); });
    return std::make_shared<ExchangeCancelToken>(ex, impl_->state->ioc.get_executor());
}

size_t HttpClient::open_connections() const { return impl_->state->open_count.load(); }

size_t HttpClient::idle_connections() const { return impl_->state->idle_count.load(); }

void HttpClient::set_idle_expiry(std::chrono::milliseconds expiry) { impl_->state->idle_expiry = expiry; }

}  // namespace nexus::net
