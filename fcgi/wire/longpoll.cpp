#include "wire/longpoll.hpp"

namespace palabre::wire {

void append_json_string(std::string& out, std::string_view value) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char ch : value) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out.append("\\\"");
        break;
      case '\\':
        out.append("\\\\");
        break;
      case '\n':
        out.append("\\n");
        break;
      case '\r':
        out.append("\\r");
        break;
      case '\t':
        out.append("\\t");
        break;
      default:
        if (c < 0x20) {
          out.append("\\u00");
          out.push_back(kHex[c >> 4]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(ch);
        }
    }
  }
  out.push_back('"');
}

void LongPollBody::add(std::string_view id, std::string_view type, std::string_view data) {
  if (count_++ > 0) items_.push_back(',');
  items_.append("{\"cursor\":");
  append_json_string(items_, id);
  items_.append(",\"type\":");
  append_json_string(items_, type);
  items_.append(",\"data\":");
  items_.append(data.empty() ? std::string_view("null") : data);
  items_.push_back('}');
}

std::string LongPollBody::finish(std::string_view cursor) && {
  std::string out;
  out.reserve(items_.size() + cursor.size() + 32);
  out.append("{\"cursor\":");
  append_json_string(out, cursor);
  out.append(",\"items\":[");
  out.append(items_);
  out.append(reset_ ? "],\"reset\":true}" : "]}");
  return out;
}

}  // namespace palabre::wire
