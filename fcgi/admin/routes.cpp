#include "admin/routes.hpp"

#include "api/context.hpp"
#include "http/json.hpp"

namespace palabre::admin {

std::string routes_json() {
  api::Router router;
  api::register_all_routes(router);
  std::string out = "[";
  bool first = true;
  for (const auto& route : router.routes()) {
    http::JsonWriter w;
    w.start_object();
    w.field("method", route.method);
    w.field("path", route.name);
    w.field("access", domain::access_name(route.access));
    w.end_object();
    out += first ? "\n" : ",\n";
    out += w.take();
    first = false;
  }
  out += "\n]\n";
  return out;
}

}  // namespace palabre::admin
