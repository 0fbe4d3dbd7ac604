// Plugins the host accepts: their metadata, newer minors, the frozen v1.0 build, and how
// long their library stays mapped.
#include "plugin/abi_objects.hpp"
#include "plugin/loader.hpp"
#include "plugin_test_support.hpp"

#include <catch2/catch.hpp>

using namespace nexus::plugin;
using namespace nexus::plugin::test;

namespace {

std::shared_ptr<const LoadedPlugin> must_load(const std::string& name) {
    LoadError error;
    auto plugin = load_plugin(test_plugin(name), &error);
    INFO(error.message);
    REQUIRE(plugin != nullptr);
    return plugin;
}

}  // namespace

TEST_CASE("a provider built with the C++ wrapper loads with its metadata", "[loader]") {
    auto p = must_load("good_provider");
    CHECK(p->path == test_plugin("good_provider"));
    CHECK(p->name == "good_provider");
    CHECK(p->version == "1.2.3");
    CHECK(p->description == "Minimal provider for the loader tests");
    CHECK(p->kind == NX_KIND_PROVIDER);
    CHECK(p->abi_major == NX_ABI_MAJOR);
    CHECK(p->abi_minor == NX_ABI_MINOR);
    CHECK(p->capabilities == (NX_CAP_CHAT | NX_CAP_TOOLS));
    CHECK(capability_names(p->capabilities) == "chat,tools");
    CHECK(kind_name(p->kind) == std::string("provider"));
    REQUIRE(p->provider != nullptr);
    CHECK(p->middleware == nullptr);
    CHECK(p->provider->struct_size == sizeof(nx_provider_vtable));
    CHECK(p->provider->stream_open != nullptr);
}

TEST_CASE("a middleware built with the C++ wrapper loads with its metadata", "[loader]") {
    auto p = must_load("good_middleware");
    CHECK(p->name == "good_middleware");
    CHECK(p->version == "0.4.0");
    CHECK(p->kind == NX_KIND_MIDDLEWARE);
    CHECK(capability_names(p->capabilities) == "on_request");
    REQUIRE(p->middleware != nullptr);
    CHECK(p->provider == nullptr);
    CHECK(p->middleware->on_request != nullptr);
}

TEST_CASE("a plugin from a newer SDK minor is accepted and read up to what the host knows", "[loader]") {
    auto p = must_load("newer_minor");
    CHECK(p->name == "newer_minor");
    CHECK(p->abi_major == NX_ABI_MAJOR);
    CHECK(p->abi_minor == 7);
    REQUIRE(p->middleware != nullptr);
    CHECK(p->middleware->struct_size > sizeof(nx_middleware_vtable));
    nx_call call;
    void* instance = reinterpret_cast<void*>(1);
    CHECK(p->middleware->create(&call, nx("{}"), &instance) == NX_OK);
    p->middleware->destroy(instance);
}

TEST_CASE("a plugin built against the frozen v1.0 header loads", "[loader][abi]") {
    auto p = must_load("frozen_v1");
    CHECK(p->name == "frozen_v1");
    CHECK(p->abi_major == 1);
    CHECK(p->abi_minor == 0);
    CHECK(p->kind == NX_KIND_PROVIDER);
    REQUIRE(p->provider != nullptr);
}

TEST_CASE("loading the same file twice gives two usable handles", "[loader]") {
    auto a = must_load("good_provider");
    auto b = must_load("good_provider");
    CHECK(a->provider->prepare == b->provider->prepare);
    a.reset();
    CHECK(is_mapped("nexus_good_provider.so"));
}

TEST_CASE("the library stays mapped while any LoadedPlugin copy is alive", "[loader][lifetime]") {
    REQUIRE_FALSE(is_mapped("nexus_good_middleware.so"));
    auto plugin = must_load("good_middleware");
    REQUIRE(is_mapped("nexus_good_middleware.so"));

    auto shared = plugin;                              // what every host instance holds
    auto copy = std::make_unique<LoadedPlugin>(*plugin);  // a plain struct copy keeps it too
    plugin.reset();
    CHECK(is_mapped("nexus_good_middleware.so"));
    shared.reset();
    REQUIRE(is_mapped("nexus_good_middleware.so"));

    // Still callable through the copy's vtable.
    nx_call call;
    void* instance = nullptr;
    REQUIRE(copy->middleware->create(&call, nx("{}"), &instance) == NX_OK);
    CHECK(copy->middleware->on_request(&call, instance, nullptr) == NX_FILTER_CONTINUE);
    copy->middleware->destroy(instance);

    copy.reset();
    CHECK_FALSE(is_mapped("nexus_good_middleware.so"));
}
