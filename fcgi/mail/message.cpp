#include "mail/message.hpp"

#include <sodium.h>

#include <ctime>

namespace palabre::mail {
namespace {
constexpr std::string_view kCrlf = "\r\n";

std::string base64(std::string_view bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// Base64 in lines of 76 characters (RFC 2045 §6.8).
std::string base64_lines(std::string_view bytes) {
  std::string flat = base64(bytes), out;
  for (size_t i = 0; i < flat.size(); i += 76) {
    out.append(flat, i, 76);
    out += kCrlf;
  }
  return out;
}

// The domain of the From address, for the Message-ID.
std::string_view domain_of(std::string_view address) {
  size_t at = address.rfind('@');
  return at == std::string_view::npos ? std::string_view("palabre.invalid") : address.substr(at + 1);
}

bool continuation(unsigned char c) { return (c & 0xC0) == 0x80; }
}  // namespace

std::string encoded_words(std::string_view utf8) {
  // 45 octets make 60 base64 characters: with "=?UTF-8?B?" and "?=" a word
  // stays within RFC 2047's 75; words are cut between characters only.
  constexpr size_t kChunk = 45;
  std::string out;
  size_t i = 0;
  while (i < utf8.size() || out.empty()) {
    size_t end = std::min(utf8.size(), i + kChunk);
    while (end < utf8.size() && end > i && continuation(static_cast<unsigned char>(utf8[end]))) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64(utf8.substr(i, end - i)) + "?=";
    i = end;
    if (utf8.empty()) break;
  }
  return out;
}

std::string quoted_printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    size_t col = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(line[i]);
      bool last = i + 1 == line.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', kHex[c >> 4], kHex[c & 15]};
      }
      // A soft break ("=" at the end) keeps every line within 76 octets.
      if (col + piece.size() > 75) {
        out += "=\r\n";
        col = 0;
      }
      out += piece;
      col += piece.size();
    }
    out += kCrlf;
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string rfc5322_date(int64_t unix_ms) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t t = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  // Names spelled out here: strftime's %a and %b follow the locale.
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string render(const Message& m, std::string_view unique) {
  std::string out;
  auto header = [&out](std::string_view name, std::string_view value) {
    out.append(name).append(": ").append(value).append(kCrlf);
  };
  header("From", "Palabre <" + m.from + ">");
  header("To", "<" + m.to + ">");
  header("Subject", encoded_words(m.subject));
  header("Date", rfc5322_date(m.date_ms));
  header("Message-ID", "<" + std::string(unique) + "@" + std::string(domain_of(m.from)) + ">");
  header("MIME-Version", "1.0");
  header("Auto-Submitted", "auto-generated");
  header("List-Unsubscribe", "<" + m.unsubscribe_url + ">");
  header("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
  const std::string text_headers =
      "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n";
  if (!m.attachment) {
    out += text_headers;
    out += kCrlf;
    out += quoted_printable(m.text);
    return out;
  }
  const std::string boundary = "=_palabre_" + std::string(unique);
  header("Content-Type", "multipart/mixed; boundary=\"" + boundary + "\"");
  out += kCrlf;
  out += "--" + boundary + "\r\n" + text_headers + "\r\n" + quoted_printable(m.text);
  const Attachment& a = *m.attachment;
  out += "--" + boundary + "\r\n";
  out += "Content-Type: " + a.content_type + "; name=\"" + a.filename + "\"\r\n";
  out += "Content-Disposition: attachment; filename=\"" + a.filename + "\"\r\n";
  out += "Content-Transfer-Encoding: base64\r\n\r\n";
  out += base64_lines(a.bytes);
  out += "--" + boundary + "--\r\n";
  return out;
}

}  // namespace palabre::mail
