#include "plugin/info_check.hpp"

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <string_view>

namespace nexus::plugin {
namespace {

constexpr size_t kMaxName = 64;
constexpr size_t kMaxVersion = 128;
constexpr size_t kMaxDescription = 4096;

// A plugin string, read at most `max` bytes far (it may lack its NUL) and made printable.
std::string bounded(const char* s, size_t max) {
    if (s == nullptr) return {};
    std::string out;
    for (size_t i = 0; i < max && s[i] != '\0'; ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        out += (c < 0x20 || c == 0x7f) ? '?' : char(c);
    }
    return out;
}

template <class T>
void copy_known_part(const T* raw, T& out) {
    out = T{};
    std::memcpy(&out, raw, std::min<size_t>(raw->struct_size, sizeof(T)));
}

bool covers(uint32_t struct_size, size_t offset, size_t field_size) { return struct_size >= offset + field_size; }

std::string host_abi() { return std::to_string(NX_ABI_MAJOR) + "." + std::to_string(NX_ABI_MINOR); }

std::string check_provider(const CheckedInfo& ci) {
    const nx_provider_vtable& v = ci.provider;
    const char* missing = !v.create ? "create" : !v.destroy ? "destroy" : !v.prepare ? "prepare"
                        : !v.parse_response ? "parse_response" : nullptr;
    if (missing) return std::string("provider vtable has no '") + missing + "' function (it is mandatory)";
    return {};
}

std::string check_middleware(const CheckedInfo& ci) {
    const nx_middleware_vtable& v = ci.middleware;
    const char* missing = !v.create ? "create" : !v.destroy ? "destroy" : nullptr;
    if (missing) return std::string("middleware vtable has no '") + missing + "' function (it is mandatory)";
    return {};
}

}  // namespace

bool is_valid_plugin_name(const char* s) {
    if (s == nullptr || *s == '\0') return false;
    size_t n = 0;
    for (; s[n] != '\0'; ++n) {
        if (n >= kMaxName) return false;
        char c = s[n];
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return false;
    }
    return true;
}

std::string check_plugin_info(const nx_plugin_info* raw, CheckedInfo& out) {
    const uint32_t size = raw->struct_size;
    if (!covers(size, offsetof(nx_plugin_info, abi_major), sizeof raw->abi_major))
        return "plugin info struct_size " + std::to_string(size) + " is below the v1 minimum " +
               std::to_string(NX_PLUGIN_INFO_V1_SIZE);

    // The name is read before the ABI check only to name the plugin in the refusal: the
    // fields up to `name` keep their place in every ABI major (see nx_plugin_info).
    if (covers(size, offsetof(nx_plugin_info, name), sizeof raw->name) && is_valid_plugin_name(raw->name))
        out.name = raw->name;
    if (raw->abi_major != NX_ABI_MAJOR)
        return "ABI major " + std::to_string(raw->abi_major) + " is not supported by this host (host ABI " +
               host_abi() + ")";
    if (size < NX_PLUGIN_INFO_V1_SIZE)
        return "plugin info struct_size " + std::to_string(size) + " is below the v1 minimum " +
               std::to_string(NX_PLUGIN_INFO_V1_SIZE);

    copy_known_part(raw, out.info);
    const nx_plugin_info& info = out.info;
    if (info.name == nullptr) return "plugin info has no name";
    if (!is_valid_plugin_name(info.name))
        return "invalid plugin name '" + bounded(info.name, kMaxName + 1) + "' (expected 1-64 characters of [a-z0-9_-])";
    out.version = bounded(info.version, kMaxVersion);
    out.description = bounded(info.description, kMaxDescription);

    if (info.kind == NX_KIND_PROVIDER) {
        if (info.provider == nullptr) return "kind is provider but the plugin info has no provider vtable";
        if (info.provider->struct_size < NX_PROVIDER_VTABLE_V1_SIZE)
            return "provider vtable struct_size " + std::to_string(info.provider->struct_size) +
                   " is below the v1 minimum " + std::to_string(NX_PROVIDER_VTABLE_V1_SIZE);
        copy_known_part(info.provider, out.provider);
        return check_provider(out);
    }
    if (info.kind == NX_KIND_MIDDLEWARE) {
        if (info.middleware == nullptr) return "kind is middleware but the plugin info has no middleware vtable";
        if (info.middleware->struct_size < NX_MIDDLEWARE_VTABLE_V1_SIZE)
            return "middleware vtable struct_size " + std::to_string(info.middleware->struct_size) +
                   " is below the v1 minimum " + std::to_string(NX_MIDDLEWARE_VTABLE_V1_SIZE);
        copy_known_part(info.middleware, out.middleware);
        return check_middleware(out);
    }
    return "unknown plugin kind " + std::to_string(info.kind) + " (this host knows " +
           std::to_string(NX_KIND_PROVIDER) + " = provider, " + std::to_string(NX_KIND_MIDDLEWARE) + " = middleware)";
}

}  // namespace nexus::plugin
