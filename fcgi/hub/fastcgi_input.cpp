#include "hub/fastcgi_input.hpp"

namespace palabre::hub {
namespace {

constexpr uint8_t kBeginRequest = 1;
constexpr uint8_t kAbortRequest = 2;
constexpr uint8_t kParams = 4;
constexpr uint8_t kStdin = 5;
constexpr uint16_t kResponder = 1;
constexpr uint8_t kKeepConn = 1;
constexpr size_t kHeader = 8;

// A name-value pair length: one byte below 128, else four with the top bit set.
bool read_length(std::string_view& in, size_t& out) {
  if (in.empty()) return false;
  auto b0 = static_cast<uint8_t>(in[0]);
  if ((b0 & 0x80) == 0) {
    out = b0;
    in.remove_prefix(1);
    return true;
  }
  if (in.size() < 4) return false;
  out = (size_t{b0 & 0x7fu} << 24) | (size_t{static_cast<uint8_t>(in[1])} << 16) |
        (size_t{static_cast<uint8_t>(in[2])} << 8) | size_t{static_cast<uint8_t>(in[3])};
  in.remove_prefix(4);
  return true;
}

}  // namespace

FastcgiInput::State FastcgiInput::feed(std::string_view bytes) {
  // Whatever comes after a finished request is the next one's: keep it.
  if (state_ != State::Reading) {
    buffer_.append(bytes);
    return state_;
  }
  if (pos_ > 0 && pos_ == buffer_.size()) {
    buffer_.clear();
    pos_ = 0;
  }
  buffer_.append(bytes);
  return parse();
}

FastcgiInput::State FastcgiInput::next_request() {
  state_ = State::Reading;
  failure_ = Failure::None;
  begun_ = params_done_ = keep_conn_ = false;
  request_id_ = 0;
  raw_params_.clear();
  params_.clear();
  body_.clear();
  buffer_.erase(0, pos_);
  pos_ = 0;
  return parse();
}

FastcgiInput::State FastcgiInput::fail(Failure f) {
  failure_ = f;
  state_ = State::Failed;
  return state_;
}

FastcgiInput::State FastcgiInput::parse() {
  while (state_ == State::Reading && buffer_.size() - pos_ >= kHeader) {
    const auto* h = reinterpret_cast<const uint8_t*>(buffer_.data() + pos_);
    if (h[0] != 1) return fail(Failure::Protocol);
    const uint8_t type = h[1];
    const uint16_t id = static_cast<uint16_t>((h[2] << 8) | h[3]);
    const size_t content = (size_t{h[4]} << 8) | h[5];
    const size_t padding = h[6];
    if (buffer_.size() - pos_ < kHeader + content + padding) {
      // A record still arriving: bound what a request may make us hold.
      if (content > limits_.max_params_bytes + limits_.max_body_bytes + 65535) return fail(Failure::Protocol);
      break;
    }
    std::string_view body(buffer_.data() + pos_ + kHeader, content);
    pos_ += kHeader + content + padding;
    if (!on_record(type, id, body)) return state_;
  }
  return state_;
}

bool FastcgiInput::on_record(uint8_t type, uint16_t id, std::string_view content) {
  if (id == 0) return true;  // management records (GET_VALUES): nginx sends none; ignored
  if (type == kBeginRequest) {
    if (begun_ || content.size() < 8) return fail(Failure::Protocol), false;
    const auto* b = reinterpret_cast<const uint8_t*>(content.data());
    if (((b[0] << 8) | b[1]) != kResponder) return fail(Failure::Protocol), false;
    begun_ = true;
    request_id_ = id;
    keep_conn_ = (b[2] & kKeepConn) != 0;
    return true;
  }
  if (!begun_ || id != request_id_) return fail(Failure::Protocol), false;
  switch (type) {
    case kParams:
      if (params_done_) return fail(Failure::Protocol), false;
      if (content.empty()) {
        params_done_ = true;
        if (!decode_params()) return fail(Failure::Protocol), false;
        return true;
      }
      if (raw_params_.size() + content.size() > limits_.max_params_bytes)
        return fail(Failure::ParamsTooLarge), false;
      raw_params_.append(content);
      return true;
    case kStdin:
      if (!params_done_) return fail(Failure::Protocol), false;
      if (content.empty()) {
        state_ = State::Ready;
        return false;  // stop: one request at a time
      }
      if (body_.size() + content.size() > limits_.max_body_bytes) return fail(Failure::BodyTooLarge), false;
      body_.append(content);
      return true;
    case kAbortRequest:
      return fail(Failure::Protocol), false;
    default:
      return true;  // DATA and anything newer: not for a responder; ignored
  }
}

bool FastcgiInput::decode_params() {
  std::string_view in(raw_params_);
  while (!in.empty()) {
    size_t name_len = 0, value_len = 0;
    if (!read_length(in, name_len) || !read_length(in, value_len)) return false;
    if (in.size() < name_len || in.size() - name_len < value_len) return false;
    params_.emplace(std::string(in.substr(0, name_len)), std::string(in.substr(name_len, value_len)));
    in.remove_prefix(name_len + value_len);
  }
  raw_params_.clear();
  raw_params_.shrink_to_fit();
  return true;
}

}  // namespace palabre::hub
