// The JSON body of a request, as an object (see http/json.hpp for errors).
#pragma once

#include "api/context.hpp"
#include "http/json.hpp"

namespace palabre::api {

// `optional`: an empty body counts as {}.
inline rapidjson::Document body_object(Context& ctx, bool optional = false) {
  if (optional && ctx.req.body.find_first_not_of(" \t\r\n") == std::string::npos) {
    rapidjson::Document d;
    d.SetObject();
    return d;
  }
  return http::parse_object(ctx.req.body);
}

}  // namespace palabre::api
