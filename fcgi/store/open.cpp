#include "core/config.hpp"
#include "store/store.hpp"

namespace palabre::store {

std::unique_ptr<Store> open(const Config& config) {
  if (!config.database_url.empty()) return open_postgres(config.database_url);
  return open_sqlite(config.sqlite_path);
}

}  // namespace palabre::store
