#include <boost/test/unit_test.hpp>

#include "mail/message.hpp"
#include "mail/texts.hpp"

using namespace palabre::mail;

BOOST_AUTO_TEST_SUITE(mail_message)

BOOST_AUTO_TEST_CASE(dates_are_rfc5322_in_utc_whatever_the_locale) {
  BOOST_TEST(rfc5322_date(0) == "Thu, 01 Jan 1970 00:00:00 +0000");
  BOOST_TEST(rfc5322_date(1796545716000) == "Sun, 06 Dec 2026 08:28:36 +0000");
}

BOOST_AUTO_TEST_CASE(subjects_are_encoded_words_cut_between_characters) {
  BOOST_TEST(encoded_words("Bientôt") == "=?UTF-8?B?QmllbnTDtHQ=?=");
  // 44 ASCII octets then "é" (2 octets): the word is cut before the é, not inside it.
  std::string out = encoded_words(std::string(44, 'a') + "é");
  BOOST_TEST(out.find("\r\n ") != std::string::npos);
  for (size_t start = 0, end; start < out.size(); start = end + 3) {
    end = out.find("\r\n ", start);
    if (end == std::string::npos) end = out.size();
    BOOST_TEST(end - start <= 75u);
  }
}

BOOST_AUTO_TEST_CASE(quoted_printable_keeps_lines_short_and_escapes_what_it_must) {
  BOOST_TEST(quoted_printable("débat = 1 \nfin") == "d=C3=A9bat =3D 1=20\r\nfin\r\n");
  std::string long_line(200, 'x');
  std::string qp = quoted_printable(long_line);
  size_t start = 0;
  while (start < qp.size()) {
    size_t end = qp.find("\r\n", start);
    BOOST_TEST(end - start <= 76u);
    start = end + 2;
  }
}

BOOST_AUTO_TEST_CASE(every_mail_has_the_headers_of_rfc5322_mime_and_rfc8058) {
  Message m;
  m.from = "palabre@ville.example";
  m.to = "camille@example.org";
  m.subject = "Bientôt : Budget";
  m.text = "Bonjour\n";
  m.unsubscribe_url = "https://ville.example/api/reminders/TOKEN/unsubscribe?lang=fr";
  m.date_ms = 0;
  std::string out = render(m, "abc");
  BOOST_TEST(out.find("From: Palabre <palabre@ville.example>\r\n") != std::string::npos);
  BOOST_TEST(out.find("To: <camille@example.org>\r\n") != std::string::npos);
  BOOST_TEST(out.find("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n") != std::string::npos);
  BOOST_TEST(out.find("Message-ID: <abc@ville.example>\r\n") != std::string::npos);
  BOOST_TEST(out.find("MIME-Version: 1.0\r\n") != std::string::npos);
  BOOST_TEST(out.find("List-Unsubscribe: <https://ville.example/api/reminders/TOKEN/unsubscribe?lang=fr>\r\n") !=
             std::string::npos);
  BOOST_TEST(out.find("List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n") != std::string::npos);
  BOOST_TEST(out.find("Content-Type: text/plain; charset=utf-8\r\n") != std::string::npos);
  BOOST_TEST(out.find("\r\n\r\nBonjour\r\n") != std::string::npos);
  BOOST_TEST(out.find('\n') == out.find("\r\n") + 1);  // CRLF only
}

BOOST_AUTO_TEST_CASE(an_attachment_makes_a_multipart_mixed_message) {
  Message m;
  m.from = "palabre@ville.example";
  m.to = "camille@example.org";
  m.subject = "Rappel";
  m.text = "T\n";
  m.unsubscribe_url = "https://ville.example/u";
  m.attachment = Attachment{"text/calendar; charset=utf-8", "debat.ics", "BEGIN:VCALENDAR\r\n"};
  std::string out = render(m, "xyz");
  BOOST_TEST(out.find("Content-Type: multipart/mixed; boundary=\"=_palabre_xyz\"\r\n") != std::string::npos);
  BOOST_TEST(out.find("Content-Disposition: attachment; filename=\"debat.ics\"\r\n") != std::string::npos);
  BOOST_TEST(out.find("QkVHSU46VkNBTEVOREFSDQo=\r\n") != std::string::npos);
  BOOST_TEST(out.find("--=_palabre_xyz--\r\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(mail_texts)

BOOST_AUTO_TEST_CASE(the_six_languages_have_every_text_with_its_links) {
  for (const char* lang : {"fr", "en", "de", "it", "es", "pl"}) {
    BOOST_TEST_CONTEXT(lang) {
      BOOST_TEST(has_texts(lang));
      const Texts& t = texts_for(lang);
      BOOST_TEST(t.lang == lang);
      for (std::string_view body : {t.confirm_body, t.reminder_body}) {
        BOOST_TEST(body.find("{title}") != std::string_view::npos);
        BOOST_TEST(body.find("{when}") != std::string_view::npos);
        BOOST_TEST(body.find("{unsubscribe_url}") != std::string_view::npos);
      }
      BOOST_TEST(t.confirm_body.find("{confirm_url}") != std::string_view::npos);
      BOOST_TEST(t.reminder_body.find("{event_url}") != std::string_view::npos);
      BOOST_TEST(t.reminder_body.find("{ics_url}") != std::string_view::npos);
      BOOST_TEST(t.confirm_subject.find("{title}") != std::string_view::npos);
      BOOST_TEST(t.reminder_subject.find("{title}") != std::string_view::npos);
      BOOST_TEST(!t.unsubscribe_title.empty());
      BOOST_TEST(!t.unsubscribe_question.empty());
      BOOST_TEST(!t.unsubscribe_button.empty());
      BOOST_TEST(!t.unsubscribe_done.empty());
    }
  }
  BOOST_TEST(!has_texts("xx"));
  BOOST_TEST(texts_for("xx").lang == "fr");
}

BOOST_AUTO_TEST_CASE(fill_replaces_known_names_and_keeps_the_rest) {
  BOOST_TEST(fill("« {title} » {x} {", {{"title", "{when}"}}) == "« {when} » {x} {");
}

BOOST_AUTO_TEST_SUITE_END()
