// Helpers for the mistral plugin tests: the shared plugin-test helpers, under this suite's name.
#pragma once

#include "common/plugin_test_support.hpp"

namespace mistral_test {
using namespace plugin_test;
}  // namespace mistral_test
