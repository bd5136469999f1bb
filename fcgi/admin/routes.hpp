// `palabre-admin routes`: the worker's route table with each route's access
// rule (domain/permissions.hpp), as the JSON array
// [{"method","path","access"}, …], one route per line, in matching order.
// Read by tests/integration/authz_matrix.test.js and checked against
// docs/API.md. Needs no database.
#pragma once

#include <string>

namespace palabre::admin {

std::string routes_json();

}  // namespace palabre::admin
