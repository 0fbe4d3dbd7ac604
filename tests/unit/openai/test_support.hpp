// Helpers for the openai plugin tests: the shared plugin-test helpers, under this suite's name.
#pragma once

#include "common/plugin_test_support.hpp"

namespace openai_test {
using namespace plugin_test;
}  // namespace openai_test
