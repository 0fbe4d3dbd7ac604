// TLS to a loopback server with a self-signed certificate made at test time: verification
// against the system store fails, ca_file makes it pass, a certificate for another name
// fails even with ca_file, insecure_skip_verify skips it all.
#include "client_harness.hpp"
#include "scripted_server.hpp"

#include <catch2/catch.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

using namespace nexus;
using namespace nexus::test;
using namespace std::chrono_literals;
using net::ClientError;

namespace {

struct TestCerts {
    std::filesystem::path dir;
    std::string local_cert, local_key;  // SAN: localhost, 127.0.0.1
    std::string other_cert, other_key;  // SAN: example.test only

    TestCerts() {
        char tmpl[] = "/tmp/nexus-transport-tls-XXXXXX";
        REQUIRE(::mkdtemp(tmpl) != nullptr);
        dir = tmpl;
        local_cert = (dir / "local.pem").string();
        local_key = (dir / "local.key").string();
        other_cert = (dir / "other.pem").string();
        other_key = (dir / "other.key").string();
        make("localhost", "DNS:localhost,IP:127.0.0.1", local_cert, local_key);
        make("example.test", "DNS:example.test", other_cert, other_key);
    }
    ~TestCerts() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
    }

    static void make(const std::string& cn, const std::string& san, const std::string& cert, const std::string& key) {
        std::string cmd = "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=" +
                          cn + " -addext subjectAltName=" + san + " -keyout " + key + " -out " + cert + " 2>/dev/null";
        REQUIRE(std::system(cmd.c_str()) == 0);
    }
};

const TestCerts& certs() {
    static TestCerts c;
    return c;
}

class ServerTls {
public:
    ServerTls(const std::string& cert, const std::string& key) : ctx_(SSL_CTX_new(TLS_server_method())) {
        REQUIRE(SSL_CTX_use_certificate_chain_file(ctx_, cert.c_str()) == 1);
        REQUIRE(SSL_CTX_use_PrivateKey_file(ctx_, key.c_str(), SSL_FILETYPE_PEM) == 1);
    }
    ~ServerTls() { SSL_CTX_free(ctx_); }
    SSL_CTX* get() const { return ctx_; }

private:
    SSL_CTX* ctx_;
};

// Answers every request on the connection with `response`; closes (without close_notify)
// after the first one when `close_after` is set.
ScriptedServer::Script tls_script(SSL_CTX* ctx, std::string response, std::atomic<int>& handshakes,
                                  bool close_after = false) {
    return [ctx, response, &handshakes, close_after](ServerConn& c) {
        SSL* ssl = SSL_new(ctx);
        SSL_set_fd(ssl, c.fd());
        if (SSL_accept(ssl) == 1) {
            ++handshakes;
            std::string buf;
            char tmp[4096];
            bool open = true;
            while (open) {
                while (buf.find("\r\n\r\n") == std::string::npos) {
                    int n = SSL_read(ssl, tmp, sizeof tmp);
                    if (n <= 0) {
                        open = false;
                        break;
                    }
                    buf.append(tmp, size_t(n));
                }
                if (!open) break;
                buf.erase(0, buf.find("\r\n\r\n") + 4);
                SSL_write(ssl, response.data(), int(response.size()));
                if (close_after) {
                    c.close();
                    break;
                }
            }
        }
        SSL_free(ssl);
        ERR_clear_error();
    };
}

const char* kOk = "HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure";

std::string https_url(const ScriptedServer& s, const std::string& host = "127.0.0.1") {
    return "https://" + host + ":" + std::to_string(s.port()) + "/";
}

}  // namespace

TEST_CASE("TLS: a self-signed certificate fails verification against the system store", "[transport][tls]") {
    ServerTls tls(certs().local_cert, certs().local_key);
    std::atomic<int> handshakes{0};
    ScriptedServer server(tls_script(tls.get(), kOk, handshakes));
    Harness h;
    auto out = h.run(Harness::request(https_url(server)));
    CHECK(out.error == ClientError::tls_failed);
    CHECK(out.detail.find("certificate verify failed") != std::string::npos);
    CHECK(out.detail.find("self") != std::string::npos);
    CHECK(handshakes == 0);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("TLS: ca_file makes the certificate trusted, by IP and by name", "[transport][tls]") {
    ServerTls tls(certs().local_cert, certs().local_key);
    std::atomic<int> handshakes{0};
    ScriptedServer server(tls_script(tls.get(), kOk, handshakes));
    Harness h;
    for (const char* host : {"127.0.0.1", "localhost"}) {
        auto req = Harness::request(https_url(server, host));
        req.tls.ca_file = certs().local_cert;
        auto out = h.run(req);
        CHECK(out.error == ClientError::none);
        CHECK(out.detail == "");
        CHECK(out.body() == "secure");
    }
    // Same connection per origin: 127.0.0.1 and localhost are two origins.
    auto again = Harness::request(https_url(server));
    again.tls.ca_file = certs().local_cert;
    CHECK(h.run(again).error == ClientError::none);
    CHECK(handshakes == 2);
    CHECK(h.client.open_connections() == 2);
    CHECK(h.client.idle_connections() == 2);
}

TEST_CASE("TLS: a trusted certificate for another name fails hostname verification", "[transport][tls]") {
    ServerTls tls(certs().other_cert, certs().other_key);
    std::atomic<int> handshakes{0};
    ScriptedServer server(tls_script(tls.get(), kOk, handshakes));
    Harness h;
    for (const char* host : {"127.0.0.1", "localhost"}) {
        auto req = Harness::request(https_url(server, host));
        req.tls.ca_file = certs().other_cert;
        auto out = h.run(req);
        CHECK(out.error == ClientError::tls_failed);
        CHECK(out.detail.find("mismatch") != std::string::npos);
    }
    CHECK(handshakes == 0);
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("TLS: insecure_skip_verify accepts any certificate", "[transport][tls]") {
    ServerTls tls(certs().other_cert, certs().other_key);
    std::atomic<int> handshakes{0};
    ScriptedServer server(tls_script(tls.get(), kOk, handshakes));
    Harness h;
    auto req = Harness::request(https_url(server));
    req.tls.insecure_skip_verify = true;
    auto out = h.run(req);
    CHECK(out.error == ClientError::none);
    CHECK(out.body() == "secure");
    // A verifying request to the same origin must not ride the unverified connection.
    auto strict = Harness::request(https_url(server));
    auto refused = h.run(strict);
    CHECK(refused.error == ClientError::tls_failed);
    CHECK(h.client.open_connections() == 1);
}

TEST_CASE("TLS: a body that ends when the server closes without close_notify is complete", "[transport][tls]") {
    ServerTls tls(certs().local_cert, certs().local_key);
    std::atomic<int> handshakes{0};
    ScriptedServer server(
        tls_script(tls.get(), "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close", handshakes, true));
    Harness h;
    auto req = Harness::request(https_url(server));
    req.tls.ca_file = certs().local_cert;
    auto out = h.run(req);
    CHECK(out.error == ClientError::none);
    CHECK(out.body() == "until close");
    CHECK(h.client.open_connections() == 0);
}

TEST_CASE("TLS: an unreadable ca_file is tls_failed naming the file", "[transport][tls]") {
    Harness h;
    auto req = Harness::request("https://127.0.0.1:1/");
    req.tls.ca_file = "/nonexistent/ca.pem";
    auto out = h.run(req);
    CHECK(out.error == ClientError::tls_failed);
    CHECK(out.detail.find("/nonexistent/ca.pem") != std::string::npos);
}

TEST_CASE("TLS: a plain HTTP server behind an https URL is tls_failed", "[transport][tls]") {
    ScriptedServer server([](ServerConn& c) {
        c.read_request(200ms);
        c.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
        c.close();
    });
    Harness h;
    auto out = h.run(Harness::request(https_url(server)));
    CHECK(out.error == ClientError::tls_failed);
    CHECK(h.client.open_connections() == 0);
}
