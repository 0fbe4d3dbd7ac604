#include "cli/logging.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace nexus::cli {

namespace {
// %* : the message as the inside of a JSON string literal.
class JsonEscapedMessage final : public spdlog::custom_flag_formatter {
public:
    void format(const spdlog::details::log_msg& msg, const std::tm&, spdlog::memory_buf_t& dest) override {
        static const char* hex = "0123456789abcdef";
        for (char c : std::string_view(msg.payload.data(), msg.payload.size())) {
            switch (c) {
                case '"': dest.append(std::string_view("\\\"")); break;
                case '\\': dest.append(std::string_view("\\\\")); break;
                case '\n': dest.append(std::string_view("\\n")); break;
                case '\r': dest.append(std::string_view("\\r")); break;
                case '\t': dest.append(std::string_view("\\t")); break;
                default:
                    if (static_cast<unsigned char>(c) < 0x20) {
                        char u[6] = {'\\', 'u', '0', '0', hex[(c >> 4) & 15], hex[c & 15]};
                        dest.append(u, u + 6);
                    } else {
                        dest.push_back(c);
                    }
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override { return std::make_unique<JsonEscapedMessage>(); }
};
}  // namespace

bool setup_logging(const std::string& level, const std::string& format, std::string* error) {
    auto lvl = spdlog::level::from_str(level);
    if (lvl == spdlog::level::off && level != "off") {
        *error = "unknown log level '" + level + "' (expected trace, debug, info, warn, error or off)";
        return false;
    }
    if (format != "json" && format != "text") {
        *error = "unknown log format '" + format + "' (expected text or json)";
        return false;
    }
    spdlog::drop("nexus");
    auto logger = spdlog::stderr_color_mt("nexus");
    if (format == "json") {
        auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
        f->add_flag<JsonEscapedMessage>('*').set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","msg":"%*"})");
        logger->set_formatter(std::move(f));
    } else {
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ %v");
    }
    logger->set_level(lvl);
    spdlog::set_default_logger(logger);
    return true;
}

}  // namespace nexus::cli
