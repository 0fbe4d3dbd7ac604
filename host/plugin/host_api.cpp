// The host services table: the functions every plugin calls. Each one tolerates NULL handles
// (NX_ERR_INVALID, or nothing for void functions) and never lets an exception escape into
// plugin code.
#include "plugin/host_api.hpp"

#include "plugin/abi_objects.hpp"
#include "plugin/loader.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <new>
#include <string>
#include <string_view>

namespace nexus::plugin {
namespace {

bool is_valid(nx_str s) { return s.ptr != nullptr || s.len == 0; }
std::string_view view(nx_str s) { return s.ptr ? std::string_view(s.ptr, s.len) : std::string_view(); }

// Plugin text goes into one log line: control characters are escaped so that a plugin cannot
// forge extra lines.
std::string printable(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    for (unsigned char c : s) {
        if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7f) {
            static constexpr char kHex[] = "0123456789abcdef";
            out += "\\x";
            out += kHex[c >> 4];
            out += kHex[c & 15];
        } else out += char(c);
    }
    return out;
}

spdlog::level::level_enum to_spdlog(nx_log_level level) {
    switch (level) {
        case NX_LOG_TRACE: return spdlog::level::trace;
        case NX_LOG_DEBUG: return spdlog::level::debug;
        case NX_LOG_INFO: return spdlog::level::info;
        case NX_LOG_WARN: return spdlog::level::warn;
        case NX_LOG_ERROR: return spdlog::level::err;
        default: return spdlog::level::info;
    }
}

// RFC 9110 section 5.6.2: a field name is a token.
bool is_token(std::string_view s) {
    if (s.empty()) return false;
    for (unsigned char c : s) {
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  std::string_view("!#$%&'*+-.^_`|~").find(char(c)) != std::string_view::npos;
        if (!ok) return false;
    }
    return true;
}

// A field value may not carry CR, LF or NUL: that would split or end the header block.
bool is_field_value(std::string_view s) { return s.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

// ------------------------------------------------------------ implemented services

void host_log(nx_call* call, nx_log_level level, nx_str msg) noexcept {
    try {
        std::string text = printable(view(msg));
        if (call == nullptr || call->plugin.empty()) {
            spdlog::log(to_spdlog(level), "[plugin] {}", text);
        } else if (call->request_id.empty()) {
            spdlog::log(to_spdlog(level), "[{}] {}", printable(call->plugin), text);
        } else {
            spdlog::log(to_spdlog(level), "[{} {}] {}", printable(call->plugin), printable(call->request_id), text);
        }
    } catch (...) {
        // Logging must never fail a plugin call.
    }
}

void host_set_error(nx_call* call, nx_str message) noexcept {
    if (call == nullptr) return;
    try {
        call->error.assign(view(message));
    } catch (...) {
        call->error.clear();
    }
}

nx_status host_buf_append(nx_buf* buf, const char* data, size_t len) noexcept {
    if (buf == nullptr || (data == nullptr && len != 0)) return NX_ERR_INVALID;
    try {
        buf->data.append(data, len);
        return NX_OK;
    } catch (const std::bad_alloc&) {
        return NX_ERR_NOMEM;
    } catch (...) {
        return NX_ERR;
    }
}

void host_buf_clear(nx_buf* buf) noexcept {
    if (buf != nullptr) buf->data.clear();
}

nx_status host_headers_add(nx_headers* headers, nx_str name, nx_str value) noexcept {
    if (headers == nullptr || !is_valid(name) || !is_valid(value)) return NX_ERR_INVALID;
    if (!is_token(view(name)) || !is_field_value(view(value))) return NX_ERR_INVALID;
    try {
        headers->items.emplace_back(std::string(view(name)), std::string(view(value)));
        return NX_OK;
    } catch (const std::bad_alloc&) {
        return NX_ERR_NOMEM;
    } catch (...) {
        return NX_ERR;
    }
}

void host_set_upstream_error(nx_call* call, nx_error_class cls, int32_t upstream_status, int64_t retry_after_ms,
                             nx_str message) noexcept {
    if (call == nullptr) return;
    call->error_class = cls;
    call->upstream_status = upstream_status;
    call->retry_after_ms = retry_after_ms;
    try {
        call->upstream_message.assign(view(message));
    } catch (...) {
        call->upstream_message.clear();
    }
}

nx_status host_emit_chunk(nx_chunk_sink* sink, nx_str chunk_json) noexcept {
    if (sink == nullptr || !sink->emit || !is_valid(chunk_json)) return NX_ERR_INVALID;
    try {
        return sink->emit(view(chunk_json));
    } catch (const std::bad_alloc&) {
        return NX_ERR_NOMEM;
    } catch (...) {
        return NX_ERR;
    }
}

uint64_t host_now_unix_ms() noexcept {
    using namespace std::chrono;
    return uint64_t(duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count());
}

uint64_t host_monotonic_ns() noexcept {
    using namespace std::chrono;
    return uint64_t(duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count());
}

// -------------------------------------------- defaults until the runtime installs its own

nx_status unavailable(nx_call* call, const char* fn) noexcept {
    if (call == nullptr) return NX_ERR_INVALID;
    try {
        call->error = std::string(fn) + " is not available in this context";
    } catch (...) {
    }
    return NX_ERR_UNSUPPORTED;
}

// Exchange functions have no nx_call to carry a message: the status alone says it.
nx_status no_exchange(nx_exchange* ex) noexcept { return ex == nullptr ? NX_ERR_INVALID : NX_ERR_UNSUPPORTED; }
nx_status no_exchange_out(nx_exchange* ex, nx_str* out) noexcept {
    if (out != nullptr) *out = nx_str{nullptr, 0};
    return out == nullptr ? NX_ERR_INVALID : no_exchange(ex);
}

void default_counter_add(nx_str, nx_str, double) noexcept {}

nx_status default_kv_get(nx_call* call, nx_str, nx_kv_callback, void*) noexcept { return unavailable(call, "kv_get"); }
nx_status default_kv_set(nx_call* call, nx_str, nx_str, uint64_t, nx_kv_callback, void*) noexcept {
    return unavailable(call, "kv_set");
}
nx_status default_kv_incr(nx_call* call, nx_str, int64_t, uint64_t, nx_kv_callback, void*) noexcept {
    return unavailable(call, "kv_incr");
}
nx_status default_kv_del(nx_call* call, nx_str, nx_kv_callback, void*) noexcept { return unavailable(call, "kv_del"); }

void default_resume(nx_exchange*, nx_filter_status) noexcept {}
nx_status default_doc_json(nx_exchange* ex, nx_doc, nx_str* out) noexcept { return no_exchange_out(ex, out); }
nx_status default_doc_get(nx_exchange* ex, nx_doc, nx_str, nx_buf*) noexcept { return no_exchange(ex); }
nx_status default_doc_set(nx_exchange* ex, nx_doc, nx_str, nx_str) noexcept { return no_exchange(ex); }
size_t default_text_count(nx_exchange*, nx_doc) noexcept { return 0; }
nx_status default_text_get(nx_exchange* ex, nx_doc, size_t, nx_str* out) noexcept { return no_exchange_out(ex, out); }
nx_status default_text_set(nx_exchange* ex, nx_doc, size_t, nx_str) noexcept { return no_exchange(ex); }
nx_status default_request_header(nx_exchange* ex, nx_str, nx_str* out) noexcept { return no_exchange_out(ex, out); }
nx_status default_response_header_set(nx_exchange* ex, nx_str, nx_str) noexcept { return no_exchange(ex); }
nx_status default_attr_get(nx_exchange* ex, nx_str, nx_str* out) noexcept { return no_exchange_out(ex, out); }
nx_status default_attr_set(nx_exchange* ex, nx_str, nx_str) noexcept { return no_exchange(ex); }
nx_status default_respond(nx_exchange* ex, int32_t, nx_str) noexcept { return no_exchange(ex); }
nx_status default_reject(nx_exchange* ex, int32_t, nx_str, nx_str) noexcept { return no_exchange(ex); }

void host_set_instance_hooks(nx_call* call, uint64_t hook_caps) noexcept {
    if (call) call->instance_hooks = hook_caps;
}

void host_report_usage(nx_call* call, const nx_usage* usage) noexcept {
    if (!call || !usage || usage->struct_size < sizeof(nx_usage)) return;
    call->usage_reported = true;
    call->prompt_tokens = usage->prompt_tokens;
    call->completion_tokens = usage->completion_tokens;
    call->cached_tokens = usage->cached_tokens;
}

nx_host_api default_table() {
    nx_host_api t{};
    t.struct_size = sizeof(nx_host_api);
    t.abi_major = NX_ABI_MAJOR;
    t.abi_minor = NX_ABI_MINOR;
    t.log = host_log;
    t.set_error = host_set_error;
    t.buf_append = host_buf_append;
    t.buf_clear = host_buf_clear;
    t.headers_add = host_headers_add;
    t.set_upstream_error = host_set_upstream_error;
    t.emit_chunk = host_emit_chunk;
    t.now_unix_ms = host_now_unix_ms;
    t.monotonic_ns = host_monotonic_ns;
    t.counter_add = default_counter_add;
    t.kv_get = default_kv_get;
    t.kv_set = default_kv_set;
    t.kv_incr = default_kv_incr;
    t.kv_del = default_kv_del;
    t.resume = default_resume;
    t.doc_json = default_doc_json;
    t.doc_get = default_doc_get;
    t.doc_set = default_doc_set;
    t.text_count = default_text_count;
    t.text_get = default_text_get;
    t.text_set = default_text_set;
    t.request_header = default_request_header;
    t.response_header_set = default_response_header_set;
    t.attr_get = default_attr_get;
    t.attr_set = default_attr_set;
    t.respond = default_respond;
    t.reject = default_reject;
    t.set_instance_hooks = host_set_instance_hooks;
    t.report_usage = host_report_usage;
    return t;
}

nx_host_api& table() {
    static nx_host_api t = default_table();
    return t;
}

}  // namespace

const nx_host_api* host_api() { return &table(); }
nx_host_api* mutable_host_api() { return &table(); }
void restore_default_host_api() { table() = default_table(); }

}  // namespace nexus::plugin
