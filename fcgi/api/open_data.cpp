#include "api/open_data.hpp"

namespace palabre::api {

// Site settings (api/site.hpp) are being added alongside: until they carry a
// licence, every debate's data is under the default.
Licence open_data_licence(Context& ctx) { return default_licence(); }

}  // namespace palabre::api
