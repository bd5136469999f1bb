#include "api/public_copy.hpp"

#include <string>

namespace palabre::api {

void allow_public_copy(http::Response& response, const domain::Event& event, int64_t now_ms) {
  if (domain::next_phase_change_ms(event, now_ms) - now_ms > kPublicCopyMs + kPublicCopyMarginMs)
    response.with_header("X-Accel-Expires", std::to_string(kPublicCopyMs / 1000));
}

}  // namespace palabre::api
