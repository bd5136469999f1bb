// The sentences a SQL backend throws for the errors a statement is expected
// to hit (a taken key, an unknown reference). Shared by store/sqlite/ and
// store/postgres/ so that both answer API clients alike.
#pragma once

#include <string_view>

namespace palabre::store {

// They reach API clients, so they name the record, never SQL.
struct Messages {
  std::string_view conflict = "the record already exists";
  std::string_view unknown_reference = "the record refers to an unknown event or account";
};

}  // namespace palabre::store
