// Helpers for the ollama plugin tests: the shared plugin-test helpers, under this suite's name.
#pragma once

#include "common/plugin_test_support.hpp"

namespace ollama_test {
using namespace plugin_test;
}  // namespace ollama_test
