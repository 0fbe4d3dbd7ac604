#include "state/resp_parser.hpp"

#include <charconv>
#include <cstring>
#include <cstdio>

namespace nexus::state {

namespace {

// RESP lengths and integers: optional '-', then digits, nothing else.
bool parse_int(std::string_view s, int64_t* out) {
    if (s.empty() || s.size() > 20) return false;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
    return ec == std::errc() && end == s.data() + s.size();
}

std::string byte_name(unsigned char c) {
    char buf[8];
    if (c >= 0x21 && c < 0x7f) std::snprintf(buf, sizeof buf, "'%c'", c);
    else std::snprintf(buf, sizeof buf, "0x%02x", c);
    return buf;
}

}  // namespace

void RespParser::reset() {
    state_ = State::type;
    line_.clear();
    bulk_ = {};
    bulk_left_ = 0;
    stack_.clear();
    elements_ = 0;
    offset_ = 0;
    error_.clear();
}

bool RespParser::fail(std::string why) {
    error_ = "malformed RESP at byte " + std::to_string(offset_) + ": " + why;
    return false;
}

bool RespParser::feed(std::string_view bytes, std::vector<RespValue>& out) {
    if (failed()) return false;
    const char* p = bytes.data();
    size_t n = bytes.size(), i = 0;
    while (i < n) {
        switch (state_) {
            case State::type: {
                char c = p[i];
                if (c != '+' && c != '-' && c != ':' && c != '$' && c != '*')
                    return fail("expected a reply type (+ - : $ *), found " + byte_name((unsigned char)c));
                type_ = c;
                line_.clear();
                state_ = State::line;
                ++i, ++offset_;
                break;
            }
            case State::line: {
                const void* nl = std::memchr(p + i, '\n', n - i);
                size_t end = nl ? size_t(static_cast<const char*>(nl) - p) : n;
                if (line_.size() + (end - i) > limits_.max_line + 1)  // +1: the CR
                    return fail("line longer than " + std::to_string(limits_.max_line) + " bytes");
                line_.append(p + i, end - i);
                offset_ += end - i;
                i = end;
                if (!nl) break;
                if (line_.empty() || line_.back() != '\r') return fail("line not ended by CRLF");
                line_.pop_back();
                ++i, ++offset_;
                if (!on_line(out)) return false;
                break;
            }
            case State::bulk: {
                size_t take = std::min(bulk_left_, n - i);
                bulk_.str.append(p + i, take);
                bulk_left_ -= take;
                i += take, offset_ += take;
                if (bulk_left_ == 0) state_ = State::bulk_cr;
                break;
            }
            case State::bulk_cr:
                if (p[i] != '\r') return fail("bulk string not followed by CRLF");
                ++i, ++offset_;
                state_ = State::bulk_lf;
                break;
            case State::bulk_lf:
                if (p[i] != '\n') return fail("bulk string not followed by CRLF");
                ++i, ++offset_;
                state_ = State::type;
                complete(std::move(bulk_), out);
                bulk_ = {};
                break;
        }
    }
    return true;
}

bool RespParser::on_line(std::vector<RespValue>& out) {
    state_ = State::type;
    switch (type_) {
        case '+': complete(RespValue::simple_string(std::move(line_)), out); return true;
        case '-': complete(RespValue::error_string(std::move(line_)), out); return true;
        case ':': {
            int64_t v = 0;
            if (!parse_int(line_, &v)) return fail("integer reply is not a number");
            complete(RespValue::number(v), out);
            return true;
        }
        case '$': {
            int64_t len = 0;
            if (!parse_int(line_, &len) || len < -1) return fail("bulk length is not a length");
            if (len == -1) {
                complete(RespValue{}, out);
                return true;
            }
            if (uint64_t(len) > limits_.max_bulk)
                return fail("bulk string of " + std::to_string(len) + " bytes exceeds the limit of " +
                            std::to_string(limits_.max_bulk));
            bulk_ = RespValue{RespValue::Type::bulk, {}, 0, {}};
            bulk_.str.reserve(std::min<size_t>(size_t(len), 64u << 10));  // grows as bytes arrive
            bulk_left_ = size_t(len);
            state_ = len == 0 ? State::bulk_cr : State::bulk;
            return true;
        }
        case '*': {
            int64_t count = 0;
            if (!parse_int(line_, &count) || count < -1) return fail("array length is not a length");
            if (count == -1) {
                complete(RespValue{}, out);
                return true;
            }
            if (uint64_t(count) > limits_.max_elements - elements_)
                return fail("reply has more than " + std::to_string(limits_.max_elements) + " array elements");
            elements_ += size_t(count);
            if (count == 0) {
                complete(RespValue{RespValue::Type::array, {}, 0, {}}, out);
                return true;
            }
            if (stack_.size() >= limits_.max_depth)
                return fail("arrays nested deeper than " + std::to_string(limits_.max_depth));
            stack_.push_back(Frame{RespValue{RespValue::Type::array, {}, 0, {}}, size_t(count)});
            return true;
        }
    }
    return fail("internal: unknown reply type");  // unreachable: the type byte was checked
}

void RespParser::complete(RespValue v, std::vector<RespValue>& out) {
    for (;;) {
        if (stack_.empty()) {
            out.push_back(std::move(v));
            elements_ = 0;
            return;
        }
        Frame& top = stack_.back();
        top.array.elements.push_back(std::move(v));
        if (--top.left > 0) return;
        v = std::move(top.array);
        stack_.pop_back();
    }
}

void append_resp_command(std::string& out, std::initializer_list<std::string_view> args) {
    out += '*';
    out += std::to_string(args.size());
    out += "\r\n";
    for (std::string_view a : args) {
        out += '$';
        out += std::to_string(a.size());
        out += "\r\n";
        out.append(a.data(), a.size());
        out += "\r\n";
    }
}

}  // namespace nexus::state
