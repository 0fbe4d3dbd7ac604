#include "state/kv_store.hpp"

#include <stdexcept>

namespace nexus::state {

std::unique_ptr<KvStore> make_redis_store(const RedisStoreOptions&) {
    throw std::invalid_argument("the redis backend is not in this build yet; use state.backend: memory");
}

}  // namespace nexus::state
