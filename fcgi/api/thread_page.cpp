// The plain view of a debate, GET /api/events/{id}/thread.html: its
// published thread as one small HTML page written here, for a visitor
// without JavaScript or with a connection too poor for the live page.
//
// The same history as the live stream and the transcript
// (api/published_thread.hpp), newest first, answers under their question.
// No script, no inline style (the CSP forbids both); the site's stylesheet
// by a relative URL, like every other link of the page, so that it works
// under any mount point and behind a proxy that moves it. Nothing
// refreshes by itself (WCAG 2.2.1): a "Refresh" link points to the page.
//
// A crowd refreshing costs about one worker request per second: nginx keeps
// the answer like the event's details (api/public_copy.hpp,
// nginx/palabre.conf.in), and staff always get a fresh one.
#include <rapidjson/document.h>

#include "api/context.hpp"
#include "api/identity.hpp"
#include "api/page_text.hpp"
#include "api/thread_page.hpp"

#include "api/site.hpp"
#include "api/public_copy.hpp"
#include "api/published_thread.hpp"
#include "core/time.hpp"
#include "domain/text_rules.hpp"
#include "http/html.hpp"

namespace palabre::api {
namespace {

using http::html::escape;

#define NBSP "\u00a0"

struct Strings {
  const char* skip;
  const char* all_debates;
  const char* site_nav;
  const char* doc_title;  // after the debate's title
  const char* phase[5];   // by domain::Phase
  const char* starts;     // "... on <time>."
  const char* questions_open;
  const char* live_until;
  const char* late_until;
  const char* ended_on;
  const char* ended;
  const char* plain_intro;
  const char* as_of;      // "... <time>"
  const char* times_in;   // "(times in UTC+1)"
  const char* links;
  const char* refresh;
  const char* interactive;
  const char* transcript;
  const char* messages_title;
  const char* empty;
  const char* question_by;
  const char* answer_by;
  const char* announcement;
  const char* poll;
  const char* answers;
  const char* edited;
  const char* powered;
};

// The words of the visitor page (static/assets/js/i18n/<lang>.js) where it has them.
const Strings kFrench = {
    "Aller au contenu",
    "Tous les débats",
    "Navigation du site",
    " – version texte – Palabre",
    {"À venir", "Questions ouvertes", "En direct", "Questions après le débat", "Terminé"},
    "Le débat commence le ",
    "Vous pouvez déjà poser vos questions depuis la page interactive.",
    "Le débat est en direct jusqu’au ",
    "Le débat est terminé. Vous pouvez encore poser des questions depuis la page interactive jusqu’au ",
    "Le débat s’est terminé le ",
    "Le débat est terminé.",
    "Version texte simple du fil du débat. Elle ne se met pas à jour toute seule" NBSP
    ": actualisez-la pour voir les nouveaux messages.",
    "Fil à jour à ",
    "heures en ",
    "Ce débat",
    "Actualiser le fil",
    "Page interactive du débat",
    "Transcription du débat",
    "Messages publiés, du plus récent au plus ancien",
    "Aucun message publié pour l’instant.",
    "Question de ",
    "Réponse de ",
    "Annonce de la modération",
    "Sondage",
    "Réponses",
    "modifiée",
    "Débat propulsé par Palabre, logiciel libre.",
};

const Strings kEnglish = {
    "Skip to content",
    "All debates",
    "Site navigation",
    " – plain text version – Palabre",
    {"Upcoming", "Questions open", "Live", "Questions after the debate", "Ended"},
    "The debate starts on ",
    "You can already ask your questions from the interactive page.",
    "The debate is live until ",
    "The debate has ended. You can still ask questions from the interactive page until ",
    "The debate ended on ",
    "The debate has ended.",
    "Plain text version of the debate thread. It does not update by itself: refresh it to see new messages.",
    "Thread as of ",
    "times in ",
    "This debate",
    "Refresh the thread",
    "Interactive debate page",
    "Debate transcript",
    "Published messages, newest first",
    "Nothing has been published yet.",
    "Question from ",
    "Answer from ",
    "Announcement from the moderators",
    "Poll",
    "Answers",
    "edited",
    "Debate powered by Palabre, free software.",
};

const Strings kGerman = {
    "Zum Inhalt springen",
    "Alle Debatten",
    "Website-Navigation",
    " – Textversion – Palabre",
    {"Demnächst", "Fragen möglich", "Live", "Fragen nach der Debatte", "Beendet"},
    "Die Debatte beginnt am ",
    "Sie können Ihre Fragen bereits auf der interaktiven Seite stellen.",
    "Die Debatte ist live bis ",
    "Die Debatte ist beendet. Sie können auf der interaktiven Seite noch Fragen stellen bis ",
    "Die Debatte endete am ",
    "Die Debatte ist beendet.",
    "Textversion des Debattenverlaufs. Sie aktualisiert sich nicht von selbst: Laden Sie sie neu, um neue Nachrichten "
    "zu sehen.",
    "Stand des Verlaufs: ",
    "Zeiten in ",
    "Diese Debatte",
    "Verlauf aktualisieren",
    "Interaktive Seite der Debatte",
    "Protokoll der Debatte",
    "Veröffentlichte Nachrichten, die neueste zuerst",
    "Noch ist nichts veröffentlicht.",
    "Frage von ",
    "Antwort von ",
    "Mitteilung der Moderation",
    "Umfrage",
    "Antworten",
    "bearbeitet",
    "Debatte mit Palabre, freier Software.",
};

const Strings kItalian = {
    "Vai al contenuto",
    "Tutti i dibattiti",
    "Navigazione del sito",
    " – versione solo testo – Palabre",
    {"In programma", "Domande aperte", "In diretta", "Domande dopo il dibattito", "Concluso"},
    "Il dibattito inizia ",
    "Potete già fare le vostre domande dalla pagina interattiva.",
    "Il dibattito è in diretta fino a ",
    "Il dibattito è concluso. Potete ancora fare domande dalla pagina interattiva fino a ",
    "Il dibattito si è concluso ",
    "Il dibattito è concluso.",
    "Versione solo testo del filo del dibattito. Non si aggiorna da sola: ricaricatela per vedere i nuovi messaggi.",
    "Filo aggiornato alle ",
    "orari in ",
    "Questo dibattito",
    "Aggiorna il filo",
    "Pagina interattiva del dibattito",
    "Trascrizione del dibattito",
    "Messaggi pubblicati, dal più recente",
    "Non è ancora stato pubblicato nulla.",
    "Domanda di ",
    "Risposta di ",
    "Comunicazione della moderazione",
    "Sondaggio",
    "Risposte",
    "modificata",
    "Dibattito realizzato con Palabre, software libero.",
};

const Strings kSpanish = {
    "Ir al contenido",
    "Todos los debates",
    "Navegación del sitio",
    " – versión solo texto – Palabre",
    {"Próximamente", "Preguntas abiertas", "En directo", "Preguntas tras el debate", "Finalizado"},
    "El debate comienza el ",
    "Ya puede hacer sus preguntas desde la página interactiva.",
    "El debate está en directo hasta el ",
    "El debate ha finalizado. Todavía puede hacer preguntas desde la página interactiva hasta el ",
    "El debate finalizó el ",
    "El debate ha finalizado.",
    "Versión solo texto del hilo del debate. No se actualiza sola: vuelva a cargarla para ver los mensajes nuevos.",
    "Hilo actualizado a las ",
    "horas en ",
    "Este debate",
    "Actualizar el hilo",
    "Página interactiva del debate",
    "Transcripción del debate",
    "Mensajes publicados, del más reciente al más antiguo",
    "Todavía no se ha publicado nada.",
    "Pregunta de ",
    "Respuesta de ",
    "Aviso de la moderación",
    "Encuesta",
    "Respuestas",
    "editada",
    "Debate realizado con Palabre, software libre.",
};

const Strings kPolish = {
    "Przejdź do treści",
    "Wszystkie debaty",
    "Nawigacja serwisu",
    " – wersja tekstowa – Palabre",
    {"Wkrótce", "Pytania otwarte", "Na żywo", "Pytania po debacie", "Zakończona"},
    "Debata rozpocznie się: ",
    "Pytania możesz już zadawać na stronie interaktywnej.",
    "Debata trwa na żywo do: ",
    "Debata się zakończyła. Pytania możesz jeszcze zadawać na stronie interaktywnej do: ",
    "Debata zakończyła się: ",
    "Debata się zakończyła.",
    "Tekstowa wersja przebiegu debaty. Nie odświeża się sama: odśwież ją, aby zobaczyć nowe wiadomości.",
    "Stan na godzinę ",
    "czas ",
    "Ta debata",
    "Odśwież przebieg",
    "Interaktywna strona debaty",
    "Zapis debaty",
    "Opublikowane wiadomości, od najnowszych",
    "Nic jeszcze nie opublikowano.",
    "Pytanie od: ",
    "Odpowiedź od: ",
    "Komunikat moderacji",
    "Ankieta",
    "Odpowiedzi",
    "zmienione",
    "Debata prowadzona w Palabre, wolnym oprogramowaniu.",
};

// By PageLang.
const Strings* const kStrings[] = {&kFrench, &kEnglish, &kGerman, &kItalian, &kSpanish, &kPolish};
static_assert(sizeof(kStrings) / sizeof(kStrings[0]) == kPageLangCount, "one Strings per PageLang, in its order");

#undef NBSP

// The page sits at {mount}api/events/{id}/thread.html.
constexpr const char* kToMount = "../../../";

std::string organiser(const domain::Event& e) {
  rapidjson::Document d;
  d.Parse(e.branding_json.c_str(), e.branding_json.size());
  if (!d.IsObject()) return "";
  auto it = d.FindMember("organiser");
  return (it != d.MemberEnd() && it->value.IsString()) ? it->value.GetString() : "";
}

// ` lang="…"` for a valid tag other than the page's, else nothing.
std::string lang_attr(std::string_view tag, std::string_view page_lang) {
  if (tag.empty() || tag == page_lang || !domain::is_language_tag(tag)) return "";
  return " lang=\"" + escape(tag) + "\"";
}

std::string time_element(int64_t ms, const std::string& text) {
  return "<time datetime=\"" + timefmt::format_rfc3339(ms) + "\">" + escape(text) + "</time>";
}

// What the debate is doing and the time that matters for it.
std::string phase_line(const domain::Event& e, int64_t now, PageLang lang, std::string_view zone, const Strings& s) {
  const domain::Phase phase = domain::phase_of(e, now);
  const int64_t next = domain::next_phase_change_ms(e, now);
  auto when = [&](int64_t ms) {
    return time_element(ms, long_datetime(ms, lang, zone)) + " (" + escape(utc_offset(ms, zone)) + ")";
  };
  std::string out = "<p><span class=\"phase\" data-phase=\"" + std::string(domain::phase_name(phase)) + "\">" +
                    s.phase[static_cast<int>(phase)] + "</span> ";
  switch (phase) {
    case domain::Phase::scheduled: out += s.starts + when(next) + "."; break;
    case domain::Phase::pre_questions: out += s.starts + when(next) + ". " + s.questions_open; break;
    case domain::Phase::live: out += s.live_until + when(next) + "."; break;
    case domain::Phase::late_questions: out += s.late_until + when(next) + "."; break;
    case domain::Phase::closed:
      // Closed early by the staff: the planned end is not when it ended.
      out += e.ends_at_ms <= now ? s.ended_on + when(e.ends_at_ms) + "." : std::string(s.ended);
      break;
  }
  return out + "</p>\n";
}

void append_message(std::string& out, const PublishedThread& t, size_t i, PageLang lang, std::string_view zone,
                    const Strings& s) {
  const PublishedMessage& m = t.messages[i];
  const std::string kind = (m.kind == "answer" || m.kind == "announcement" || m.kind == "poll") ? m.kind : "question";
  out += "<li class=\"msg msg-" + kind + "\">\n<p class=\"msg-meta\">";
  if (kind == "announcement") {
    out += std::string("<span class=\"msg-author\">") + s.announcement + "</span>";
  } else if (kind == "poll") {
    out += std::string("<span class=\"msg-author\">") + s.poll + "</span>";
  } else {
    out += kind == "answer" ? std::string("<span class=\"msg-kind\">") + s.answer_by + "</span>"
                            : std::string("<span class=\"visually-hidden\">") + s.question_by + "</span>";
    out += "<bdi class=\"msg-author\">" + escape(m.author) + "</bdi>";
  }
  if (auto ts = timefmt::parse_rfc3339(m.ts)) {
    out += ' ';
    out += time_element(*ts, short_datetime(*ts, lang, zone));
  }
  if (m.edited) out += std::string(" <span class=\"msg-edited\">(") + s.edited + ")</span>";
  // The text's own language, even when it is the page's, as on the visitor
  // page.
  out += "</p>\n<p class=\"msg-text\" dir=\"auto\"" + lang_attr(m.lang, "") + ">" + escape(m.text) + "</p>\n";
  if (m.poll) out += poll_results_html(*m.poll);
  if (!m.answers.empty()) {
    out += std::string("<ol class=\"answers\" aria-label=\"") + s.answers + "\">\n";
    for (size_t a : m.answers) append_message(out, t, a, lang, zone, s);
    out += "</ol>\n";
  }
  out += "</li>\n";
}

}  // namespace

std::string thread_page_html(const domain::Event& e, const PublishedThread& t, int64_t now, std::string_view zone) {
  const PageLang lang = page_lang(e);
  const Strings& s = *kStrings[static_cast<size_t>(lang)];
  const std::string page_lang(lang_tag(lang));
  // The debate's own texts are in its first language.
  const std::string event_lang = lang_attr(e.languages.empty() ? "" : e.languages.front(), page_lang);
  const std::string brand = organiser(e);

  std::string out;
  out.reserve(4096 + t.messages.size() * 400);
  out += "<!DOCTYPE html>\n<html lang=\"" + page_lang + "\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>" +
         escape(e.title) + s.doc_title + "</title>\n<link rel=\"icon\" href=\"data:,\">\n"
         "<link rel=\"stylesheet\" href=\"" + kToMount + "assets/palabre.css\">\n</head>\n<body>\n";
  out += std::string("<a class=\"skip-link\" href=\"#main\">") + s.skip + "</a>\n";
  out += "<header class=\"site-header\">\n<div class=\"bar\">\n<div class=\"brand\"" +
         (brand.empty() ? std::string(">Palabre") : "><bdi>" + escape(brand) + "</bdi>") +
         "</div>\n<nav class=\"header-nav\" aria-label=\"" + s.site_nav + "\"><a href=\"" + kToMount + "\">" +
         s.all_debates + "</a></nav>\n</div>\n</header>\n";
  out += "<main id=\"main\" tabindex=\"-1\">\n<h1" + event_lang + ">" + escape(e.title) + "</h1>\n";
  out += phase_line(e, now, lang, zone, s);
  if (!e.description.empty())
    out += "<p class=\"description\" dir=\"auto\"" + event_lang + ">" + escape(e.description) + "</p>\n";
  out += std::string("<p class=\"hint\">") + s.plain_intro + " " + s.as_of + time_element(now, clock_time(now, zone)) +
         " (" + s.times_in + escape(utc_offset(now, zone)) + ").</p>\n";
  const std::string id = escape(e.id);
  out += std::string("<nav aria-label=\"") + s.links + "\">\n<ul class=\"plain-links\">\n" +
         "<li><a href=\"thread.html\">" + s.refresh + "</a></li>\n" +
         "<li><a href=\"" + kToMount + "e/" + id + "\">" + s.interactive + "</a></li>\n" +
         "<li><a href=\"transcript.html\">" + s.transcript + "</a></li>\n</ul>\n</nav>\n";
  out += std::string("<section aria-labelledby=\"thread-title\">\n<h2 id=\"thread-title\">") + s.messages_title +
         "</h2>\n";
  if (t.top.empty()) {
    out += std::string("<p class=\"empty\">") + s.empty + "</p>\n";
  } else {
    out += "<ol class=\"thread\">\n";
    for (auto it = t.top.rbegin(); it != t.top.rend(); ++it) append_message(out, t, *it, lang, zone, s);
    out += "</ol>\n";
  }
  out += std::string("</section>\n</main>\n<footer class=\"site-footer\">\n<p>") + s.powered +
         "</p>\n</footer>\n</body>\n</html>\n";
  return out;
}

namespace {

http::Response thread_page(Context& ctx) {
  const std::string& event_id = ctx.param("id");
  store::Event e = load_event(ctx, event_id);
  const int64_t now = ctx.now_ms();
  PublishedThread thread = fold_thread(published_history(ctx, event_id));
  // On the debate's clock, else the site's (api/site.hpp).
  const std::string zone = e.time_zone.empty() ? site_defaults(ctx).time_zone : e.time_zone;
  http::Response r = http::Response::text("text/html; charset=utf-8", thread_page_html(e, thread, now, zone));
  allow_public_copy(r, e, now);
  return r;
}

}  // namespace

void register_thread_page_routes(Router& router) {
  router.add("GET", "/api/events/{id}/thread.html", Access::public_, thread_page);
}

}  // namespace palabre::api
