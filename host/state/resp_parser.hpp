// An incremental, bounded parser for RESP2 replies (the Redis serialization protocol,
// https://redis.io/docs/latest/develop/reference/protocol-spec/). Bytes may arrive split at
// any point; every length a server claims is checked against limits before anything is
// allocated for it, so a hostile or broken peer cannot make the host allocate without bound.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nexus::state {

struct RespValue {
    enum class Type { simple, error, integer, bulk, null, array };
    Type type = Type::null;
    std::string str;                  // simple, error, bulk
    int64_t integer = 0;              // integer
    std::vector<RespValue> elements;  // array

    static RespValue simple_string(std::string s) { return {Type::simple, std::move(s), 0, {}}; }
    static RespValue error_string(std::string s) { return {Type::error, std::move(s), 0, {}}; }
    static RespValue bulk_string(std::string s) { return {Type::bulk, std::move(s), 0, {}}; }
    static RespValue number(int64_t n) { return {Type::integer, {}, n, {}}; }
    bool operator==(const RespValue&) const = default;
};

struct RespLimits {
    size_t max_bulk = 64u << 20;       // bytes in one bulk string
    size_t max_line = 64u << 10;       // bytes in one simple string, error or length line
    size_t max_elements = 1u << 20;    // array elements in one reply, nested ones included
    size_t max_depth = 16;             // arrays within arrays
};

class RespParser {
public:
    explicit RespParser(RespLimits limits = {}) : limits_(limits) {}

    // Consumes all of `bytes`, appending each completed reply to `out` in order. Returns false
    // on malformed input; error() then says what and at which byte, and the parser refuses
    // everything after (the connection it reads cannot be trusted any more).
    bool feed(std::string_view bytes, std::vector<RespValue>& out);

    const std::string& error() const { return error_; }
    bool failed() const { return !error_.empty(); }
    // True between replies: nothing partial is buffered.
    bool idle() const { return state_ == State::type && stack_.empty(); }
    // Forgets any partial reply and a past error (for a fresh connection).
    void reset();

private:
    enum class State { type, line, bulk, bulk_cr, bulk_lf };
    struct Frame {
        RespValue array;
        size_t left;
    };

    bool fail(std::string why);
    bool on_line(std::vector<RespValue>& out);
    void complete(RespValue v, std::vector<RespValue>& out);

    RespLimits limits_;
    State state_ = State::type;
    char type_ = 0;
    std::string line_;
    RespValue bulk_;
    size_t bulk_left_ = 0;
    std::vector<Frame> stack_;
    size_t elements_ = 0;  // in the reply being parsed
    uint64_t offset_ = 0;  // bytes consumed so far, for error messages
    std::string error_;
};

// Appends one command to `out` as RESP: an array of bulk strings. Binary-safe.
void append_resp_command(std::string& out, std::initializer_list<std::string_view> args);

}  // namespace nexus::state
