#include "mail/texts.hpp"

#include <algorithm>
#include <array>

#include "api/page_text.hpp"

namespace palabre::mail {
namespace {
// Plain text, lines cut by the mail client. The French is the reference;
// each language addresses the reader as the interface does (vous, you, Sie,
// voi, usted, Ty). {when} is when_text() in the same language.
const std::array<Texts, 6> kTexts = {{
    {"fr", "Confirmez votre rappel : {title}",
     "Bonjour,\n\nQuelqu'un, sans doute vous, a demandé un rappel par e-mail pour le débat « {title} », "
     "qui commence le {when}.\n\nPour le confirmer, ouvrez ce lien puis appuyez sur « Confirmer le rappel » :\n"
     "{confirm_url}\n\nSans confirmation, rien ne vous sera envoyé et votre adresse sera effacée sous "
     "24 heures. Si vous n'avez rien demandé, ignorez ce message.\n\nNe plus rien recevoir : {unsubscribe_url}\n",
     "Bientôt : {title}",
     "Bonjour,\n\nLe débat « {title} » commence le {when}.\n\nSuivez-le et posez vos questions ici :\n"
     "{event_url}\n\nL'événement est joint pour votre agenda (aussi ici : {ics_url}).\n\nC'est le seul "
     "rappel : votre adresse est maintenant effacée.\n\nSe désinscrire : {unsubscribe_url}\n",
     "Ne plus recevoir de rappel", "Ne plus recevoir de message pour ce débat ? Votre adresse sera effacée.",
     "Me désinscrire", "C'est fait : vous ne recevrez plus de message pour ce débat, et votre adresse est effacée."},
    {"en", "Confirm your reminder: {title}",
     "Hello,\n\nSomeone, probably you, asked for an e-mail reminder for the debate \"{title}\", which starts "
     "on {when}.\n\nTo confirm, open this link and press \"Confirm the reminder\":\n{confirm_url}\n\nWithout "
     "confirmation nothing will be sent and your address will be erased within 24 hours. If you did not ask for "
     "anything, please ignore this message.\n\nStop all messages: {unsubscribe_url}\n",
     "Starting soon: {title}",
     "Hello,\n\nThe debate \"{title}\" starts on {when}.\n\nFollow it and ask your questions here:\n"
     "{event_url}\n\nThe event is attached for your calendar (also here: {ics_url}).\n\nThis is the only "
     "reminder: your address has now been erased.\n\nUnsubscribe: {unsubscribe_url}\n",
     "Stop reminders", "Stop all messages about this debate? Your address will be erased.", "Unsubscribe",
     "Done: you will get no more messages about this debate, and your address has been erased."},
    {"de", "Bitte bestätigen Sie Ihre Erinnerung: {title}",
     "Guten Tag,\n\njemand, vermutlich Sie, hat eine E-Mail-Erinnerung an die Debatte „{title}“ angefordert, "
     "die am {when} beginnt.\n\nZum Bestätigen öffnen Sie diesen Link und klicken Sie auf „Erinnerung "
     "bestätigen“:\n{confirm_url}\n\nOhne Bestätigung wird nichts verschickt und Ihre Adresse innerhalb von "
     "24 Stunden gelöscht. Wenn Sie nichts angefordert haben, ignorieren Sie diese Nachricht einfach.\n\n"
     "Keine Nachrichten mehr: {unsubscribe_url}\n",
     "Erinnerung: {title} beginnt bald",
     "Guten Tag,\n\ndie Debatte „{title}“ beginnt am {when}.\n\nVerfolgen Sie sie und stellen Sie Ihre Fragen "
     "hier:\n{event_url}\n\nDen Termin für Ihren Kalender finden Sie im Anhang (und hier: {ics_url}).\n\nDies "
     "ist die einzige Erinnerung: Ihre Adresse ist jetzt gelöscht.\n\nAbmelden: {unsubscribe_url}\n",
     "Keine Erinnerungen mehr", "Keine Nachrichten mehr zu dieser Debatte erhalten? Ihre Adresse wird gelöscht.",
     "Abmelden", "Erledigt: Sie erhalten keine Nachrichten mehr zu dieser Debatte, und Ihre Adresse ist gelöscht."},
    {"it", "Confermate il vostro promemoria: {title}",
     "Buongiorno,\n\nqualcuno, probabilmente voi, ha chiesto un promemoria via e-mail per il dibattito "
     "«{title}», che inizia {when}.\n\nPer confermare, aprite questo link e premete «Conferma il promemoria»:\n"
     "{confirm_url}\n\nSenza conferma non verrà inviato nulla e il vostro indirizzo sarà cancellato entro "
     "24 ore. Se non avete chiesto nulla, ignorate questo messaggio.\n\nNon ricevere più nulla: "
     "{unsubscribe_url}\n",
     "Tra poco: {title}",
     "Buongiorno,\n\nil dibattito «{title}» inizia {when}.\n\nSeguitelo e fate le vostre domande qui:\n"
     "{event_url}\n\nIn allegato trovate l'evento per il vostro calendario (anche qui: {ics_url}).\n\nÈ l'unico "
     "promemoria: il vostro indirizzo è ora cancellato.\n\nAnnullare l'iscrizione: {unsubscribe_url}\n",
     "Niente più promemoria", "Non ricevere più messaggi su questo dibattito? Il vostro indirizzo sarà cancellato.",
     "Annulla l'iscrizione",
     "Fatto: non riceverete più messaggi su questo dibattito e il vostro indirizzo è cancellato."},
    {"es", "Confirme su recordatorio: {title}",
     "Hola:\n\nAlguien, probablemente usted, pidió un recordatorio por correo para el debate «{title}», que "
     "empieza el {when}.\n\nPara confirmarlo, abra este enlace y pulse «Confirmar el recordatorio»:\n"
     "{confirm_url}\n\nSin confirmación no se enviará nada y su dirección se borrará en 24 horas. Si no pidió "
     "nada, ignore este mensaje.\n\nNo recibir nada más: {unsubscribe_url}\n",
     "Muy pronto: {title}",
     "Hola:\n\nEl debate «{title}» empieza el {when}.\n\nSígalo y haga sus preguntas aquí:\n{event_url}\n\nEl "
     "evento va adjunto para su calendario (también aquí: {ics_url}).\n\nEs el único recordatorio: su "
     "dirección ya está borrada.\n\nDarse de baja: {unsubscribe_url}\n",
     "No más recordatorios", "¿No recibir más mensajes sobre este debate? Su dirección se borrará.", "Darme de baja",
     "Hecho: no recibirá más mensajes sobre este debate y su dirección está borrada."},
    {"pl", "Potwierdź przypomnienie: {title}",
     "Dzień dobry,\n\nktoś, zapewne Ty, poprosił o przypomnienie e-mailem o debacie „{title}”. Początek: "
     "{when}.\n\nAby potwierdzić, otwórz ten link i naciśnij „Potwierdź przypomnienie”:\n{confirm_url}\n\nBez "
     "potwierdzenia nic nie zostanie wysłane, a Twój adres zostanie usunięty w ciągu 24 godzin. Jeśli to nie "
     "Ty, po prostu zignoruj tę wiadomość.\n\nNie chcę więcej wiadomości: {unsubscribe_url}\n",
     "Już wkrótce: {title}",
     "Dzień dobry,\n\ndebata „{title}” wkrótce się zaczyna. Początek: {when}.\n\nŚledź ją i zadawaj pytania "
     "tutaj:\n{event_url}\n\nW załączniku znajdziesz wydarzenie do dodania do kalendarza (także tutaj: "
     "{ics_url}).\n\nTo jedyne przypomnienie: Twój adres został już usunięty.\n\nWypisz się: {unsubscribe_url}\n",
     "Koniec przypomnień", "Nie chcesz więcej wiadomości o tej debacie? Twój adres zostanie usunięty.",
     "Wypisz mnie", "Gotowe: nie otrzymasz więcej wiadomości o tej debacie, a Twój adres został usunięty."},
}};
}  // namespace

bool has_texts(std::string_view lang) {
  for (const auto& t : kTexts)
    if (t.lang == lang) return true;
  return false;
}

const Texts& texts_for(std::string_view lang) {
  for (const auto& t : kTexts)
    if (t.lang == lang) return t;
  return kTexts.front();
}

std::string fill(std::string_view text, std::initializer_list<std::pair<std::string_view, std::string_view>> values) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t open = text.find('{', i);
    if (open == std::string_view::npos) break;
    size_t close = text.find('}', open);
    if (close == std::string_view::npos) break;
    out.append(text, i, open - i);
    std::string_view name = text.substr(open + 1, close - open - 1);
    bool found = false;
    for (const auto& [k, v] : values)
      if (k == name) {
        out.append(v);
        found = true;
        break;
      }
    if (!found) out.append(text, open, close - open + 1);
    i = close + 1;
  }
  out.append(text.substr(std::min(i, text.size())));
  return out;
}

std::string when_text(int64_t unix_ms, std::string_view lang, std::string_view zone) {
  api::PageLang page_lang = api::PageLang::fr;
  for (size_t i = 0; i < api::kPageLangCount; ++i)
    if (api::lang_tag(static_cast<api::PageLang>(i)) == lang) page_lang = static_cast<api::PageLang>(i);
  return api::long_datetime(unix_ms, page_lang, zone) + " (" + api::utc_offset(unix_ms, zone) + ")";
}

}  // namespace palabre::mail
