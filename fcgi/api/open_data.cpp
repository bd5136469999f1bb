#include "api/open_data.hpp"

#include "api/site.hpp"

namespace palabre::api {

// The licence the organiser chose in the site settings (PUT /api/site),
// which default to Etalab 2.0 themselves.
Licence open_data_licence(Context& ctx) {
  SiteDefaults site = site_defaults(ctx);
  if (site.licence_name.empty()) return default_licence();
  return {site.licence_name, site.licence_url};
}

}  // namespace palabre::api
