// The licence the open-data downloads of a debate are published under
// (transcript.json names it; the archive page shows it next to its links).
// Configurable in the site's settings (GET|PUT /api/site, "licence":
// {"name","url"}); Licence Ouverte / Etalab 2.0 when none is set.
#pragma once

#include <string>

#include "api/context.hpp"

namespace palabre::api {

struct Licence {
  std::string name;
  std::string url;
};

// The default, in this one place (static/assets/js/archive.js has the same
// for pages whose site answers without a licence).
inline Licence default_licence() {
  return {"Licence Ouverte / Etalab 2.0", "https://www.etalab.gouv.fr/licence-ouverte-open-licence/"};
}

Licence open_data_licence(Context& ctx);

}  // namespace palabre::api
