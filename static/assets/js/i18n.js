// Palabre — interface strings in French and English, and the choice between them.
//
// The language is chosen, in order, from: the visitor's earlier choice
// (localStorage), the first of navigator.languages that the event offers, the
// event's default language (its first). Pages list their static strings with
// data-i18n="key" (text) and data-i18n-attr="aria-label:key;title:key2"
// (attributes); apply() fills them in and <html lang> follows. Strings built
// in JS call t(key, {var}). When the event offers several languages that the
// interface knows, a switcher (buttons with aria-pressed) is shown.

const NBSP = '\u00a0';

const STRINGS = {
  fr: {
    'common.skip': 'Aller au contenu',
    'common.site_nav': 'Navigation du site',
    'common.all_debates': 'Tous les débats',
    'common.cancel': 'Annuler',
    'common.logout': 'Se déconnecter',
    'common.powered': 'Débat propulsé par Palabre, logiciel libre.',
    'common.language': 'Langue',

    'phase.scheduled': 'À venir',
    'phase.pre_questions': 'Questions ouvertes',
    'phase.live': 'En direct',
    'phase.late_questions': 'Questions après le débat',
    'phase.closed': 'Terminé',

    'status.sending': 'Envoi en cours…',
    'status.received': 'Reçue, en attente de modération',
    'status.pending': 'Reçue, en attente de modération',
    'status.published': 'Publiée',
    'status.rejected': 'Non retenue',
    'status.retracted': 'Retirée',
    'status.failed': 'Échec de l’envoi',

    'stream.connecting': 'Connexion au direct…',
    'stream.open': 'En direct',
    'stream.reconnecting': 'Connexion perdue, reconnexion…',
    'stream.retry_in': `Connexion perdue, nouvelle tentative dans {n}${NBSP}s…`,
    'stream.open_poll': `Connecté (mode dégradé${NBSP}: actualisation régulière)`,

    'thread.question_by': 'Question de ',
    'thread.answer_by': 'Réponse de ',
    'thread.announcement': 'Annonce de la modération',
    'thread.answers': 'Réponses',

    'error.unknown': 'Une erreur inattendue est survenue. Réessayez.',
    'error.network': `Le serveur ne répond pas. Vérifiez votre connexion${NBSP}; rien n’est perdu, vous pouvez réessayer.`,
    'error.rate_limited': `Vous envoyez des questions trop vite. Patientez un instant avant de réessayer.`,
    'error.rate_limited_in': `Vous envoyez des questions trop vite. Nouvel essai automatique dans {n}${NBSP}s.`,
    'error.banned': 'La modération vous a exclu·e de ce débat : vous ne pouvez plus envoyer de question.',
    'error.timed_out': 'La modération a suspendu vos questions pour un moment.',
    'error.timed_out_in': `La modération a suspendu vos questions pour un moment. Vous pourrez en poser une nouvelle dans {n}${NBSP}s.`,
    'error.slow_mode': `Mode lent${NBSP}: une question toutes les {n}${NBSP}secondes. Votre question partira d’elle-même dès que possible.`,
    'visitor.slow_mode': `Mode lent${NBSP}: une question toutes les {n}${NBSP}secondes par personne.`,
    'visitor.slow_mode_off': 'Fin du mode lent.',
    'error.event_closed': 'Ce débat n’accepte pas de questions en ce moment.',
    'error.not_joined': `Votre session a expiré. Rejoignez le débat avec votre pseudonyme${NBSP}: la question sera envoyée ensuite.`,
    'error.text_empty': 'Le texte est vide.',
    'error.text_too_long': 'Le texte dépasse {n} caractères.',
    'error.event_not_found': 'Débat introuvable.',
    'error.csrf_failed': 'La requête a été refusée par sécurité. Rechargez la page puis réessayez.',
    'error.unavailable': 'Le service est momentanément indisponible. Réessayez dans un instant.',
    'error.server': 'Le serveur a rencontré une erreur. Réessayez dans un instant.',
    'error.in_progress': 'Le serveur traite encore l’envoi précédent. Réessayez dans un instant.',
    'error.invalid_field': `Champ invalide${NBSP}: {detail}`,
    'error.forbidden': 'Vous n’avez pas le droit de faire cela.',
    'error.session_expired': 'Votre session a expiré. Rouvrez votre lien d’invitation.',

    'index.doc_title': 'Débats publics – Palabre',
    'index.title': 'Débats publics',
    'index.intro': 'Suivez les débats en direct et posez vos questions aux invité·es. Un pseudonyme suffit.',
    'index.loading': 'Chargement des débats…',
    'index.live': 'En direct',
    'index.upcoming': 'À venir',
    'index.past': 'Débats passés',
    'index.none': 'Aucun débat n’est annoncé pour l’instant.',
    'index.admin': 'Administration',
    'index.late_open': 'Vous pouvez encore poser des questions.',
    'index.load_failed': 'Impossible de charger la liste des débats. Nouvel essai dans quelques secondes.',

    'visitor.doc_title': 'Débat en direct – Palabre',
    'visitor.doc_title_event': '{title} – Palabre',
    'visitor.loading': 'Chargement du débat…',
    'visitor.load_failed': 'Impossible de charger le débat',
    'visitor.calendar': 'Ajouter à mon agenda (.ics)',
    'visitor.guests': 'Invité·es',
    'visitor.participate': 'Participer',
    'visitor.join_hint': 'Choisissez un pseudonyme : il sera affiché avec vos questions publiées. Aucune adresse e-mail n’est demandée.',
    'visitor.pseudonym': 'Pseudonyme',
    'visitor.join': 'Rejoindre le débat',
    'visitor.joined_as': 'Vous participez sous le pseudonyme',
    'visitor.change_name': 'Changer de pseudonyme',
    'visitor.anonymous': '(pseudonyme enregistré)',
    'visitor.name_required': 'Indiquez un pseudonyme.',
    'visitor.name_too_long': 'Le pseudonyme ne doit pas dépasser {n} caractères.',
    'visitor.welcome': `Bienvenue, {name}${NBSP}! Vous pouvez poser vos questions.`,
    'visitor.ask_title': 'Poser une question',
    'visitor.your_question': 'Votre question',
    'visitor.ask_hint': 'La modération relit chaque question avant de la publier.',
    'visitor.send_question': 'Envoyer la question',
    'visitor.counter': '{n} / {max} caractères',
    'visitor.counter_left': 'Plus que {n} caractères.',
    'visitor.counter_over': '{n} caractères de trop.',
    'visitor.closed_scheduled': 'Les questions seront ouvertes au début du débat, le {when}.',
    'visitor.closed_closed': 'Ce débat est terminé : il n’accepte plus de questions.',
    'visitor.question_received': 'Question reçue : elle sera publiée si la modération la retient.',
    'visitor.unsure_sent': 'L’envoi a été interrompu. Si la question n’apparaît pas comme reçue, réessayez.',
    'visitor.retry': 'Réessayer',
    'visitor.edit_failed': 'Modifier',
    'visitor.discard': 'Abandonner',
    'visitor.my_questions': 'Mes questions',
    'visitor.no_questions_yet': 'Vous n’avez pas encore posé de question.',
    'visitor.refresh_status': 'Actualiser les statuts',
    'visitor.my_data': 'Mes données',
    'visitor.my_data_hint': 'Vous pouvez télécharger tout ce que Palabre garde sur votre participation, ou l’effacer : vos questions non publiées et votre pseudonyme disparaissent, vos questions publiées restent signées « anonyme ».',
    'visitor.export': 'Télécharger mes données (JSON)',
    'visitor.erase': 'Effacer ma participation',
    'visitor.erase_confirm': 'Effacer votre participation à ce débat ? Cette action est définitive.',
    'visitor.erase_yes': 'Oui, tout effacer',
    'visitor.erased': 'Votre participation a été effacée. Vos questions publiées sont désormais signées « anonyme ».',
    'visitor.status_refreshed': 'Statuts actualisés.',
    'visitor.status_changed': `Une de vos questions a changé de statut${NBSP}: {status}.`,
    'visitor.thread': 'Fil du débat',
    'visitor.thread_empty': 'Aucun message publié pour l’instant.',
    'visitor.transcript': 'Transcription du débat',
    'visitor.plain_view': 'Version texte simple',
    'visitor.phase_now': `Le débat est maintenant${NBSP}: {phase}.`,

    'staff.no_session': 'Pour accéder à cette console, ouvrez le lien d’invitation que vous avez reçu (il se termine par #t=…).',
    'staff.invalid_token': 'Ce lien d’invitation n’est pas valide ou a expiré. Demandez un nouveau lien à l’organisateur.',
    'staff.wrong_event': 'Votre session concerne un autre débat. Ouvrez le lien d’invitation de ce débat.',
    'staff.wrong_role': 'Ce lien d’invitation ne donne pas accès à cette console.',
    'staff.network': 'Le serveur ne répond pas. Rechargez la page dans un instant.',

    'mod.doc_title': 'Modération – Palabre',
    'mod.doc_title_event': 'Modération – {title}',
    'mod.doc_title_count': '({n}) Modération – {title}',
    'mod.title': 'Console de modération',
    'mod.title_event': 'Modération :',
    'mod.public_page': 'Page publique du débat',
    'mod.counters': 'Compteurs',
    'mod.count_pending': 'en attente',
    'mod.count_forwarded': 'transmises',
    'mod.count_published': 'publiées',
    'mod.count_rejected': 'refusées',
    'mod.ends_at': 'Fin prévue : {when}.',
    'mod.extend': 'Prolonger de 15 minutes',
    'mod.pending': 'Questions en attente',
    'mod.pending_empty': 'Aucune question en attente.',
    'mod.forwarded': 'Transmises à l’invité·e',
    'mod.forwarded_empty': 'Aucune question transmise en attente de réponse.',
    'mod.published': 'Publiées',
    'mod.published_empty': 'Aucune question publiée.',
    'mod.rejected': 'Refusées',
    'mod.rejected_empty': 'Aucune question refusée.',
    'mod.announce': 'Annonce',
    'mod.announce_label': 'Texte de l’annonce (publiée immédiatement)',
    'mod.announce_send': 'Publier l’annonce',
    'mod.question_by': 'Question de ',
    'mod.original': 'Texte d’origine :',
    'mod.reason_was': 'Motif : {reason}',
    'mod.badge_forwarded': 'Transmise',
    'mod.badge_answered': 'Répondue',
    'mod.badge_banned': 'Auteur exclu',
    'mod.publish': 'Publier',
    'mod.edit': 'Modifier',
    'mod.edit_label': 'Texte de la question',
    'mod.save': 'Enregistrer',
    'mod.forward': 'Transmettre à l’invité·e',
    'mod.reject': 'Refuser',
    'mod.reject_reason': 'Motif du refus (facultatif, non montré au public)',
    'mod.reject_confirm': 'Confirmer le refus',
    'mod.retract': 'Retirer du fil',
    'mod.retract_question': 'Retirer ce message du fil public ? Il disparaîtra chez tous les participants.',
    'mod.retract_confirm': 'Confirmer le retrait',
    'mod.ban': 'Exclure l’auteur',
    'mod.ban_question': 'Exclure {name} de ce débat ? Ses prochaines questions seront refusées.',
    'mod.ban_reason': 'Motif de l’exclusion',
    'mod.ban_confirm': 'Confirmer l’exclusion',
    'mod.done_publish': 'Question publiée.',
    'mod.done_forward': 'Question transmise à l’invité·e.',
    'mod.done_reject': 'Question refusée.',
    'mod.done_retract': 'Message retiré du fil.',
    'mod.done_edit': 'Question modifiée.',
    'mod.done_ban': '{name} est exclu·e du débat.',
    'mod.done_announce': 'Annonce publiée.',
    'mod.done_extend': 'Débat prolongé jusqu’à {when}.',
    'mod.new_question': 'Nouvelle question de {name}.',
    'mod.new_questions': '{n} nouvelles questions.',
    'mod.error_conflict': 'Impossible : la question a changé entre-temps (un autre modérateur ?). La liste est mise à jour.',
    'mod.error_not_found': 'Cette question n’existe plus.',

    'guest.doc_title': 'Espace invité·e – Palabre',
    'guest.doc_title_event': 'Invité·e – {title}',
    'guest.doc_title_count': '({n}) Invité·e – {title}',
    'guest.title': 'Espace invité·e',
    'guest.title_event': 'Espace invité·e :',
    'guest.intro': 'La modération vous transmet ici les questions, dans l’ordre. Votre réponse est publiée sous la question, dans le fil public.',
    'guest.todo': 'Questions à traiter',
    'guest.todo_empty': 'Aucune question pour l’instant. Les prochaines apparaîtront ici d’elles-mêmes.',
    'guest.done': 'Questions auxquelles vous avez répondu',
    'guest.done_empty': 'Aucune réponse pour l’instant.',
    'guest.thread': 'Fil public du débat',
    'guest.question_from': 'Question de',
    'guest.your_answer': 'Votre réponse',
    'guest.your_answer_was': 'Votre réponse :',
    'guest.send': 'Publier la réponse',
    'guest.sending': 'Envoi…',
    'guest.done_answer': 'Réponse publiée sous la question.',
    'guest.new_question': 'Nouvelle question transmise : {name}.',
    'guest.error_conflict': 'Cette question ne peut plus recevoir de réponse (retirée ou refusée).',

    'admin.doc_title': 'Administration – Palabre',
    'admin.title': 'Administration des débats',
    'admin.login_title': 'Connexion',
    'admin.login': 'Identifiant',
    'admin.password': 'Mot de passe',
    'admin.sign_in': 'Se connecter',
    'admin.token_title': 'Ou avec un jeton d’API',
    'admin.token_hint': 'Collez un jeton administrateur créé avec « palabre-admin token ». Il reste dans cet onglet uniquement.',
    'admin.token': 'Jeton d’API administrateur',
    'admin.use_token': 'Utiliser ce jeton',
    'admin.login_missing': 'Indiquez l’identifiant et le mot de passe.',
    'admin.login_failed': 'Identifiant ou mot de passe incorrect.',
    'admin.token_missing': 'Collez un jeton.',
    'admin.token_failed': 'Ce jeton n’est pas un jeton administrateur valide.',
    'admin.welcome': 'Connecté·e.',
    'admin.signed_out': 'Déconnecté·e.',
    'admin.signed_in_as': 'Connecté·e en tant que {login}.',
    'admin.signed_in_token': 'Connecté·e avec un jeton d’API.',
    'admin.events': 'Débats',
    'admin.events_empty': 'Aucun débat pour l’instant.',
    'admin.invites': 'Gérer les invitations',
    'admin.invites_warning': 'Ce lien donne accès à la console : transmettez-le de façon privée.',
    'admin.moderator_url': 'Lien pour la modération',
    'admin.guest_url': 'Lien pour l’invité·e',
    'admin.moderator_url_for': 'Lien de modération de {label}',
    'admin.guest_url_for': 'Lien d’invité·e de {label}',
    'admin.invite_role': 'Rôle',
    'admin.role_moderator': 'Modération',
    'admin.role_guest': 'Invité·e',
    'admin.invite_label': 'Nom de la personne',
    'admin.invite_label_hint': 'Il figure dans le journal des actions, par exemple « Anne (communication) ».',
    'admin.invite_label_missing': 'Indiquez le nom de la personne invitée.',
    'admin.invite_create': 'Créer l’invitation',
    'admin.invite_created': 'Invitation créée pour {label}.',
    'admin.invites_list': 'Invitations de ce débat',
    'admin.invites_none': 'Aucune invitation pour l’instant.',
    'admin.invite_used': 'utilisée le {when}',
    'admin.invite_unused': 'jamais utilisée',
    'admin.invite_unlabelled': '(sans nom)',
    'admin.invite_revoke': 'Révoquer',
    'admin.invite_revoked': 'Révoquée',
    'admin.invite_revoked_done': 'Invitation de {label} révoquée : son lien ne fonctionne plus.',
    'admin.error_unknown_guest': 'Une invitation d’invité·e porte le nom de l’un des invités du débat.',
    'admin.login_throttled': 'Trop de tentatives : réessayez dans {seconds} s.',
    'admin.login_busy': 'Trop de connexions en même temps : réessayez dans un instant.',
    'admin.logout_all': 'Se déconnecter sur tous les appareils',
    'admin.signed_out_everywhere': 'Déconnecté·e sur tous les appareils.',
    'admin.copy': 'Copier',
    'admin.copied': '{what} copié dans le presse-papiers.',
    'admin.copy_failed': 'Copie impossible : sélectionnez le lien et copiez-le à la main.',
    'admin.extend': 'Modifier la fin',
    'admin.new_end': 'Nouvelle heure de fin',
    'admin.save_end': 'Enregistrer',
    'admin.plus15': '+15 minutes',
    'admin.extended': '« {title} » se termine maintenant à {when}.',
    'admin.moderate': 'Modérer',
    'admin.create': 'Créer un débat',
    'admin.create_submit': 'Créer le débat',
    'admin.created': 'Débat « {title} » créé.',
    'admin.f_title': 'Titre',
    'admin.f_description': 'Description',
    'admin.f_id': 'Adresse courte (facultative)',
    'admin.f_id_hint': '3 à 64 caractères : lettres minuscules, chiffres et tirets. Laissez vide pour une adresse automatique.',
    'admin.f_start': 'Début',
    'admin.f_end': 'Fin',
    'admin.tz_hint': 'Heures locales (fuseau {zone}), enregistrées en UTC.',
    'admin.f_languages': 'Langues',
    'admin.f_languages_hint': 'Codes de langue séparés par des virgules (fr, en…) ; la première est la langue par défaut.',
    'admin.f_guests': 'Invité·es',
    'admin.add_guest': 'Ajouter un·e invité·e',
    'admin.remove_guest': 'Retirer cet·te invité·e',
    'admin.guest_name': 'Nom de l’invité·e {n}',
    'admin.guest_role': 'Fonction de l’invité·e {n}',
    'admin.f_before': 'Recevoir des questions avant le début',
    'admin.f_late': 'Jours de questions après la fin',
    'admin.f_branding': 'Habillage',
    'admin.f_organiser': 'Organisateur (nom affiché)',
    'admin.f_use_color': 'Utiliser une couleur de marque',
    'admin.f_color': 'Couleur',
    'admin.f_logo': 'Adresse du logo (https://…, facultative)',
    'admin.need_title': 'Indiquez un titre.',
    'admin.title_too_long': 'Le titre dépasse 200 caractères.',
    'admin.bad_date': 'Indiquez une date et une heure valides.',
    'admin.end_before_start': 'La fin doit être après le début.',
    'admin.bad_languages': 'Indiquez au moins un code de langue valide (fr, en…).',
    'admin.bad_id': 'L’adresse courte ne peut contenir que des minuscules, des chiffres et des tirets (3 à 64).',
    'admin.bad_late': 'Le nombre de jours doit être entre 0 et 30.',
    'admin.bad_logo': 'L’adresse du logo doit commencer par https://.',
    'admin.error_conflict': 'Cette adresse courte est déjà prise.',

    // visitor and guest: audience (issue 11)
    'status.merged': 'Regroupée',
    'thread.edited': '(modifiée par la modération)',
    'thread.poll': 'Sondage',
    'audience.support': 'Je soutiens cette question',
    'audience.supports_one': '{n} soutien',
    'audience.supports_other': '{n} soutiens',
    'audience.supported': 'Votre soutien est enregistré.',
    'audience.support_conflict': 'Cette question ne peut plus être soutenue : elle a reçu une réponse ou a été retirée.',
    'audience.banned': 'La modération vous a exclu·e de ce débat : vous ne pouvez plus soutenir de question ni voter.',
    'audience.not_joined': `Votre session a expiré. Rejoignez à nouveau le débat avec votre pseudonyme${NBSP}: vous pourrez ensuite soutenir une question ou voter.`,
    'audience.poll_vote': 'Voter',
    'audience.poll_voting': 'Envoi du vote…',
    'audience.poll_multiple': 'Plusieurs réponses possibles.',
    'audience.poll_choose_one': 'Choisissez une réponse avant de voter.',
    'audience.poll_choose_some': 'Choisissez au moins une réponse avant de voter.',
    'audience.poll_voted': 'Merci, votre vote est enregistré.',
    'audience.poll_join': `Pour voter, rejoignez le débat avec un pseudonyme (rubrique «${NBSP}Participer${NBSP}»).`,
    'audience.poll_closed': 'Sondage terminé',
    'audience.poll_final_note': 'Les votes sont clos.',
    'audience.poll_results': 'Résultats provisoires',
    'audience.poll_final': 'Résultat final',
    'audience.poll_figure': '{votes} ({pct})',
    'audience.poll_votes_one': '{n} voix',
    'audience.poll_votes_other': '{n} voix',
    'audience.poll_total_one': '{n} votant·e au total',
    'audience.poll_total_other': '{n} votant·es au total',
    'audience.poll_opened': `Nouveau sondage${NBSP}: {question}`,
    'audience.poll_ended': `Sondage terminé${NBSP}: {question}`,
    'audience.poll_closed_error': 'Ce sondage est terminé : votre vote n’a pas été pris en compte.',
    'audience.reason': `Motif${NBSP}: {reason}.`,
    'audience.reason_off_topic': 'hors sujet',
    'audience.reason_duplicate': 'question déjà posée',
    'audience.reason_already_answered': 'la réponse a déjà été donnée',
    'audience.reason_abusive': 'propos contraires à la charte du débat',
    'audience.reason_personal_data': 'la question contient des données personnelles',
    'audience.reason_other': 'autre motif',
    'audience.merged': 'Regroupée avec une question semblable, qui porte aussi votre pseudonyme.',
    'audience.merged_link': `Voir «${NBSP}{text}${NBSP}» dans le fil`,
    'audience.mine_edited': 'Modifiée par la modération.',
    'guest.now': 'En cours',
    'guest.now_announce': `Question en cours${NBSP}: {name}.`,
    'guest.sort': 'Ordre des questions',
    'guest.sort_order': 'Ordre choisi par la modération',
    'guest.sort_support': 'Les plus soutenues d’abord',
    'guest.insert_label': 'Réponse préparée',
    'guest.insert': 'Insérer une réponse préparée',
    'guest.inserted': 'Réponse préparée insérée : relisez-la et modifiez-la avant de la publier.',
    'guest.prepared': 'Réponses préparées',
    'guest.prepared_hint': 'Préparez vos réponses avant le débat. Pendant le débat, insérez-en une dans la réponse à une question, relisez-la et modifiez-la, puis publiez-la.',
    'guest.prepared_empty': 'Aucune réponse préparée pour l’instant.',
    'guest.prepared_add': 'Ajouter une réponse préparée',
    'guest.prepared_title': 'Titre (pour la retrouver)',
    'guest.prepared_text': 'Texte de la réponse',
    'guest.prepared_save': 'Enregistrer la réponse préparée',
    'guest.prepared_saved': `Réponse préparée enregistrée${NBSP}: {title}.`,
    'guest.prepared_title_required': 'Indiquez un titre.',
    'guest.prepared_title_too_long': 'Le titre ne doit pas dépasser {n} caractères.',
    'guest.prepared_load_failed': 'Impossible de charger les réponses préparées.',
  },

  en: {
    'common.skip': 'Skip to content',
    'common.site_nav': 'Site navigation',
    'common.all_debates': 'All debates',
    'common.cancel': 'Cancel',
    'common.logout': 'Sign out',
    'common.powered': 'Debate powered by Palabre, free software.',
    'common.language': 'Language',

    'phase.scheduled': 'Upcoming',
    'phase.pre_questions': 'Questions open',
    'phase.live': 'Live',
    'phase.late_questions': 'Questions after the debate',
    'phase.closed': 'Ended',

    'status.sending': 'Sending…',
    'status.received': 'Received, awaiting moderation',
    'status.pending': 'Received, awaiting moderation',
    'status.published': 'Published',
    'status.rejected': 'Not selected',
    'status.retracted': 'Withdrawn',
    'status.failed': 'Failed to send',

    'stream.connecting': 'Connecting to the live feed…',
    'stream.open': 'Live',
    'stream.reconnecting': 'Connection lost, reconnecting…',
    'stream.retry_in': 'Connection lost, trying again in {n} s…',
    'stream.open_poll': 'Connected (slow mode: regular updates)',

    'thread.question_by': 'Question from ',
    'thread.answer_by': 'Answer from ',
    'thread.announcement': 'Announcement from the moderators',
    'thread.answers': 'Answers',

    'error.unknown': 'Something unexpected went wrong. Please try again.',
    'error.network': 'The server is not answering. Check your connection; nothing is lost, you can try again.',
    'error.rate_limited': 'You are sending questions too fast. Please wait a moment before trying again.',
    'error.rate_limited_in': 'You are sending questions too fast. Trying again automatically in {n} s.',
    'error.banned': 'The moderators have excluded you from this debate: you can no longer send questions.',
    'error.timed_out': 'The moderators have paused your questions for a while.',
    'error.timed_out_in': 'The moderators have paused your questions for a while. You can ask again in {n} s.',
    'error.slow_mode': 'Slow mode: one question every {n} seconds. Your question will go out by itself as soon as it can.',
    'visitor.slow_mode': 'Slow mode: one question every {n} seconds per person.',
    'visitor.slow_mode_off': 'Slow mode is over.',
    'error.event_closed': 'This debate is not taking questions right now.',
    'error.not_joined': 'Your session has expired. Join the debate with your pseudonym: the question will be sent afterwards.',
    'error.text_empty': 'The text is empty.',
    'error.text_too_long': 'The text is longer than {n} characters.',
    'error.event_not_found': 'Debate not found.',
    'error.csrf_failed': 'The request was refused for security reasons. Reload the page and try again.',
    'error.unavailable': 'The service is temporarily unavailable. Please try again shortly.',
    'error.server': 'The server ran into an error. Please try again shortly.',
    'error.in_progress': 'The server is still handling the previous attempt. Please try again shortly.',
    'error.invalid_field': 'Invalid field: {detail}',
    'error.forbidden': 'You are not allowed to do this.',
    'error.session_expired': 'Your session has expired. Open your invitation link again.',

    'index.doc_title': 'Public debates – Palabre',
    'index.title': 'Public debates',
    'index.intro': 'Follow debates live and ask the guests your questions. A pseudonym is all you need.',
    'index.loading': 'Loading debates…',
    'index.live': 'Live now',
    'index.upcoming': 'Upcoming',
    'index.past': 'Past debates',
    'index.none': 'No debate has been announced yet.',
    'index.admin': 'Administration',
    'index.late_open': 'You can still ask questions.',
    'index.load_failed': 'Could not load the list of debates. Trying again in a few seconds.',

    'visitor.doc_title': 'Live debate – Palabre',
    'visitor.doc_title_event': '{title} – Palabre',
    'visitor.loading': 'Loading the debate…',
    'visitor.load_failed': 'Could not load the debate',
    'visitor.calendar': 'Add to my calendar (.ics)',
    'visitor.guests': 'Guests',
    'visitor.participate': 'Take part',
    'visitor.join_hint': 'Choose a pseudonym: it is shown with your published questions. No e-mail address needed.',
    'visitor.pseudonym': 'Pseudonym',
    'visitor.join': 'Join the debate',
    'visitor.joined_as': 'You are taking part as',
    'visitor.change_name': 'Change pseudonym',
    'visitor.anonymous': '(saved pseudonym)',
    'visitor.name_required': 'Please enter a pseudonym.',
    'visitor.name_too_long': 'The pseudonym must be at most {n} characters.',
    'visitor.welcome': 'Welcome, {name}! You can ask your questions.',
    'visitor.ask_title': 'Ask a question',
    'visitor.your_question': 'Your question',
    'visitor.ask_hint': 'The moderators read every question before publishing it.',
    'visitor.send_question': 'Send question',
    'visitor.counter': '{n} / {max} characters',
    'visitor.counter_left': '{n} characters left.',
    'visitor.counter_over': '{n} characters too many.',
    'visitor.closed_scheduled': 'Questions open when the debate starts, on {when}.',
    'visitor.closed_closed': 'This debate has ended: it no longer takes questions.',
    'visitor.question_received': 'Question received: it will be published if the moderators select it.',
    'visitor.unsure_sent': 'Sending was interrupted. If the question does not show as received, try again.',
    'visitor.retry': 'Try again',
    'visitor.edit_failed': 'Edit',
    'visitor.discard': 'Discard',
    'visitor.my_questions': 'My questions',
    'visitor.no_questions_yet': 'You have not asked a question yet.',
    'visitor.refresh_status': 'Refresh statuses',
    'visitor.my_data': 'My data',
    'visitor.my_data_hint': 'You can download everything Palabre keeps about your participation, or erase it: your unpublished questions and your pseudonym are deleted, your published questions stay, signed “anonyme”.',
    'visitor.export': 'Download my data (JSON)',
    'visitor.erase': 'Erase my participation',
    'visitor.erase_confirm': 'Erase your participation in this debate? This cannot be undone.',
    'visitor.erase_yes': 'Yes, erase everything',
    'visitor.erased': 'Your participation was erased. Your published questions are now signed “anonyme”.',
    'visitor.status_refreshed': 'Statuses refreshed.',
    'visitor.status_changed': 'One of your questions has a new status: {status}.',
    'visitor.thread': 'Debate thread',
    'visitor.thread_empty': 'Nothing has been published yet.',
    'visitor.transcript': 'Debate transcript',
    'visitor.plain_view': 'Plain text version',
    'visitor.phase_now': 'The debate is now: {phase}.',

    'staff.no_session': 'To open this console, use the invitation link you received (it ends with #t=…).',
    'staff.invalid_token': 'This invitation link is not valid or has expired. Ask the organiser for a new one.',
    'staff.wrong_event': 'Your session is for another debate. Open this debate’s invitation link.',
    'staff.wrong_role': 'This invitation link does not give access to this console.',
    'staff.network': 'The server is not answering. Reload the page in a moment.',

    'mod.doc_title': 'Moderation – Palabre',
    'mod.doc_title_event': 'Moderation – {title}',
    'mod.doc_title_count': '({n}) Moderation – {title}',
    'mod.title': 'Moderation console',
    'mod.title_event': 'Moderation:',
    'mod.public_page': 'Public page of the debate',
    'mod.counters': 'Counters',
    'mod.count_pending': 'pending',
    'mod.count_forwarded': 'forwarded',
    'mod.count_published': 'published',
    'mod.count_rejected': 'rejected',
    'mod.ends_at': 'Scheduled end: {when}.',
    'mod.extend': 'Extend by 15 minutes',
    'mod.pending': 'Pending questions',
    'mod.pending_empty': 'No pending question.',
    'mod.forwarded': 'Forwarded to the guest',
    'mod.forwarded_empty': 'No forwarded question awaiting an answer.',
    'mod.published': 'Published',
    'mod.published_empty': 'No published question.',
    'mod.rejected': 'Rejected',
    'mod.rejected_empty': 'No rejected question.',
    'mod.announce': 'Announcement',
    'mod.announce_label': 'Announcement text (published at once)',
    'mod.announce_send': 'Publish announcement',
    'mod.question_by': 'Question from ',
    'mod.original': 'Original text:',
    'mod.reason_was': 'Reason: {reason}',
    'mod.badge_forwarded': 'Forwarded',
    'mod.badge_answered': 'Answered',
    'mod.badge_banned': 'Author banned',
    'mod.publish': 'Publish',
    'mod.edit': 'Edit',
    'mod.edit_label': 'Question text',
    'mod.save': 'Save',
    'mod.forward': 'Forward to guest',
    'mod.reject': 'Reject',
    'mod.reject_reason': 'Reason for rejecting (optional, not shown publicly)',
    'mod.reject_confirm': 'Confirm rejection',
    'mod.retract': 'Withdraw from thread',
    'mod.retract_question': 'Withdraw this message from the public thread? It disappears for every participant.',
    'mod.retract_confirm': 'Confirm withdrawal',
    'mod.ban': 'Ban author',
    'mod.ban_question': 'Ban {name} from this debate? Their next questions will be refused.',
    'mod.ban_reason': 'Reason for the ban',
    'mod.ban_confirm': 'Confirm ban',
    'mod.done_publish': 'Question published.',
    'mod.done_forward': 'Question forwarded to the guest.',
    'mod.done_reject': 'Question rejected.',
    'mod.done_retract': 'Message withdrawn from the thread.',
    'mod.done_edit': 'Question edited.',
    'mod.done_ban': '{name} is banned from the debate.',
    'mod.done_announce': 'Announcement published.',
    'mod.done_extend': 'Debate extended until {when}.',
    'mod.new_question': 'New question from {name}.',
    'mod.new_questions': '{n} new questions.',
    'mod.error_conflict': 'Not possible: the question changed meanwhile (another moderator?). The list has been updated.',
    'mod.error_not_found': 'This question no longer exists.',

    'guest.doc_title': 'Guest console – Palabre',
    'guest.doc_title_event': 'Guest – {title}',
    'guest.doc_title_count': '({n}) Guest – {title}',
    'guest.title': 'Guest console',
    'guest.title_event': 'Guest console:',
    'guest.intro': 'The moderators forward questions to you here, in order. Your answer is published under the question, in the public thread.',
    'guest.todo': 'Questions to answer',
    'guest.todo_empty': 'No question for now. New ones will appear here by themselves.',
    'guest.done': 'Questions you have answered',
    'guest.done_empty': 'No answer yet.',
    'guest.thread': 'Public thread of the debate',
    'guest.question_from': 'Question from',
    'guest.your_answer': 'Your answer',
    'guest.your_answer_was': 'Your answer:',
    'guest.send': 'Publish answer',
    'guest.sending': 'Sending…',
    'guest.done_answer': 'Answer published under the question.',
    'guest.new_question': 'New forwarded question: {name}.',
    'guest.error_conflict': 'This question can no longer be answered (withdrawn or rejected).',

    'admin.doc_title': 'Administration – Palabre',
    'admin.title': 'Debate administration',
    'admin.login_title': 'Sign in',
    'admin.login': 'Login',
    'admin.password': 'Password',
    'admin.sign_in': 'Sign in',
    'admin.token_title': 'Or with an API token',
    'admin.token_hint': 'Paste an admin token created with “palabre-admin token”. It stays in this tab only.',
    'admin.token': 'Admin API token',
    'admin.use_token': 'Use this token',
    'admin.login_missing': 'Enter your login and password.',
    'admin.login_failed': 'Wrong login or password.',
    'admin.token_missing': 'Paste a token.',
    'admin.token_failed': 'This is not a valid admin token.',
    'admin.welcome': 'Signed in.',
    'admin.signed_out': 'Signed out.',
    'admin.signed_in_as': 'Signed in as {login}.',
    'admin.signed_in_token': 'Signed in with an API token.',
    'admin.events': 'Debates',
    'admin.events_empty': 'No debate yet.',
    'admin.invites': 'Manage invitations',
    'admin.invites_warning': 'This link opens the console: share it privately.',
    'admin.moderator_url': 'Moderator link',
    'admin.guest_url': 'Guest link',
    'admin.moderator_url_for': 'Moderator link for {label}',
    'admin.guest_url_for': 'Guest link for {label}',
    'admin.invite_role': 'Role',
    'admin.role_moderator': 'Moderator',
    'admin.role_guest': 'Guest',
    'admin.invite_label': 'Name of the person',
    'admin.invite_label_hint': 'It appears in the audit log, e.g. “Anne (communications)”.',
    'admin.invite_label_missing': 'Enter the name of the person you invite.',
    'admin.invite_create': 'Create the invitation',
    'admin.invite_created': 'Invitation created for {label}.',
    'admin.invites_list': 'Invitations to this debate',
    'admin.invites_none': 'No invitations yet.',
    'admin.invite_used': 'used on {when}',
    'admin.invite_unused': 'never used',
    'admin.invite_unlabelled': '(no name)',
    'admin.invite_revoke': 'Revoke',
    'admin.invite_revoked': 'Revoked',
    'admin.invite_revoked_done': 'Invitation of {label} revoked: its link no longer works.',
    'admin.error_unknown_guest': 'A guest invitation bears the name of one of the debate’s guests.',
    'admin.login_throttled': 'Too many attempts: try again in {seconds} s.',
    'admin.login_busy': 'Too many sign-ins at once: try again in a moment.',
    'admin.logout_all': 'Sign out on every device',
    'admin.signed_out_everywhere': 'Signed out on every device.',
    'admin.copy': 'Copy',
    'admin.copied': '{what} copied to the clipboard.',
    'admin.copy_failed': 'Could not copy: select the link and copy it by hand.',
    'admin.extend': 'Change end time',
    'admin.new_end': 'New end time',
    'admin.save_end': 'Save',
    'admin.plus15': '+15 minutes',
    'admin.extended': '“{title}” now ends at {when}.',
    'admin.moderate': 'Moderate',
    'admin.create': 'Create a debate',
    'admin.create_submit': 'Create debate',
    'admin.created': 'Debate “{title}” created.',
    'admin.f_title': 'Title',
    'admin.f_description': 'Description',
    'admin.f_id': 'Short address (optional)',
    'admin.f_id_hint': '3 to 64 characters: lower-case letters, digits and hyphens. Leave empty for an automatic one.',
    'admin.f_start': 'Start',
    'admin.f_end': 'End',
    'admin.tz_hint': 'Local times (time zone {zone}), stored in UTC.',
    'admin.f_languages': 'Languages',
    'admin.f_languages_hint': 'Language codes separated by commas (fr, en…); the first is the default.',
    'admin.f_guests': 'Guests',
    'admin.add_guest': 'Add a guest',
    'admin.remove_guest': 'Remove this guest',
    'admin.guest_name': 'Name of guest {n}',
    'admin.guest_role': 'Role of guest {n}',
    'admin.f_before': 'Take questions before the start',
    'admin.f_late': 'Days of questions after the end',
    'admin.f_branding': 'Branding',
    'admin.f_organiser': 'Organiser (displayed name)',
    'admin.f_use_color': 'Use a brand colour',
    'admin.f_color': 'Colour',
    'admin.f_logo': 'Logo address (https://…, optional)',
    'admin.need_title': 'Enter a title.',
    'admin.title_too_long': 'The title is longer than 200 characters.',
    'admin.bad_date': 'Enter a valid date and time.',
    'admin.end_before_start': 'The end must be after the start.',
    'admin.bad_languages': 'Enter at least one valid language code (fr, en…).',
    'admin.bad_id': 'The short address may only hold lower-case letters, digits and hyphens (3 to 64).',
    'admin.bad_late': 'The number of days must be between 0 and 30.',
    'admin.bad_logo': 'The logo address must start with https://.',
    'admin.error_conflict': 'This short address is already taken.',

    // visitor and guest: audience (issue 11)
    'status.merged': 'Grouped',
    'thread.edited': '(edited by the moderators)',
    'thread.poll': 'Poll',
    'audience.support': 'I support this question',
    'audience.supports_one': '{n} supporter',
    'audience.supports_other': '{n} supporters',
    'audience.supported': 'Your support is recorded.',
    'audience.support_conflict': 'This question can no longer be supported: it has been answered or withdrawn.',
    'audience.banned': 'The moderators banned you from this debate: you can no longer support questions or vote.',
    'audience.not_joined': 'Your session has expired. Join the debate again with your pseudonym: you can then support a question or vote.',
    'audience.poll_vote': 'Vote',
    'audience.poll_voting': 'Sending your vote…',
    'audience.poll_multiple': 'You may choose several answers.',
    'audience.poll_choose_one': 'Choose an answer before voting.',
    'audience.poll_choose_some': 'Choose at least one answer before voting.',
    'audience.poll_voted': 'Thank you, your vote is recorded.',
    'audience.poll_join': 'To vote, join the debate with a pseudonym (“Take part”).',
    'audience.poll_closed': 'Poll closed',
    'audience.poll_final_note': 'Voting has ended.',
    'audience.poll_results': 'Results so far',
    'audience.poll_final': 'Final result',
    'audience.poll_figure': '{votes} ({pct})',
    'audience.poll_votes_one': '{n} vote',
    'audience.poll_votes_other': '{n} votes',
    'audience.poll_total_one': '{n} voter in all',
    'audience.poll_total_other': '{n} voters in all',
    'audience.poll_opened': 'New poll: {question}',
    'audience.poll_ended': 'Poll closed: {question}',
    'audience.poll_closed_error': 'This poll has closed: your vote was not counted.',
    'audience.reason': 'Reason: {reason}.',
    'audience.reason_off_topic': 'off topic',
    'audience.reason_duplicate': 'already asked',
    'audience.reason_already_answered': 'already answered',
    'audience.reason_abusive': 'against the debate’s rules',
    'audience.reason_personal_data': 'the question holds personal data',
    'audience.reason_other': 'other reason',
    'audience.merged': 'Grouped with a similar question, which also bears your pseudonym.',
    'audience.merged_link': 'See “{text}” in the thread',
    'audience.mine_edited': 'Edited by the moderators.',
    'guest.now': 'Now',
    'guest.now_announce': 'Question being answered now: {name}.',
    'guest.sort': 'Order of the questions',
    'guest.sort_order': 'Order set by the moderators',
    'guest.sort_support': 'Most supported first',
    'guest.insert_label': 'Prepared answer',
    'guest.insert': 'Insert a prepared answer',
    'guest.inserted': 'Prepared answer inserted: read it and edit it before publishing.',
    'guest.prepared': 'Prepared answers',
    'guest.prepared_hint': 'Prepare your answers before the debate. During the debate, insert one into the answer to a question, read it and edit it, then publish it.',
    'guest.prepared_empty': 'No prepared answer yet.',
    'guest.prepared_add': 'Add a prepared answer',
    'guest.prepared_title': 'Title (to find it again)',
    'guest.prepared_text': 'Text of the answer',
    'guest.prepared_save': 'Save the prepared answer',
    'guest.prepared_saved': 'Prepared answer saved: {title}.',
    'guest.prepared_title_required': 'Enter a title.',
    'guest.prepared_title_too_long': 'The title must not be longer than {n} characters.',
    'guest.prepared_load_failed': 'Could not load the prepared answers.',
  },
};

export const SUPPORTED = Object.keys(STRINGS);
const NATIVE_NAMES = { fr: 'Français', en: 'English' };
const STORE_KEY = 'palabre.lang';

let current = 'fr';
let offered = SUPPORTED.slice();
let eventLanguages = null;
const listeners = [];

function primary(tag) {
  return String(tag || '').toLowerCase().split('-')[0];
}

function stored() {
  try {
    return window.localStorage.getItem(STORE_KEY);
  } catch (_) {
    return null;
  }
}

function choose(candidates) {
  const saved = stored();
  if (saved && candidates.includes(saved)) return saved;
  for (const tag of navigator.languages || [navigator.language]) {
    const p = primary(tag);
    if (candidates.includes(p)) return p;
  }
  return candidates[0];
}

/** Current interface language ("fr" or "en"). */
export function lang() {
  return current;
}

/** t('visitor.counter', {n: 3, max: 2000}) */
export function t(key, vars) {
  const table = STRINGS[current] || STRINGS.fr;
  let s = table[key];
  if (s === undefined) s = STRINGS.en[key] !== undefined ? STRINGS.en[key] : key;
  if (vars) s = s.replace(/\{(\w+)\}/g, (m, name) => (vars[name] !== undefined ? String(vars[name]) : m));
  return s;
}

/** Fill data-i18n / data-i18n-attr elements under root. */
export function apply(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const el of root.querySelectorAll('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr.split(';')) {
      const [attr, key] = pair.split(':').map((x) => x.trim());
      if (attr && key) el.setAttribute(attr, t(key));
    }
  }
}

function setCurrent(l) {
  current = l;
  document.documentElement.lang = l;
  apply(document);
}

/** First step, before the event is known: pick from the browser's languages. */
export function init() {
  setCurrent(choose(SUPPORTED));
}

/**
 * Once the event is known: offer the languages it lists that the interface
 * knows (all of them for pages without an event), pick one, draw the switcher.
 */
export function setup(languages, switcher) {
  eventLanguages = Array.isArray(languages) && languages.length ? languages : null;
  if (eventLanguages) {
    offered = [];
    for (const tag of eventLanguages) {
      const p = primary(tag);
      if (SUPPORTED.includes(p) && !offered.includes(p)) offered.push(p);
    }
    if (!offered.length) offered = SUPPORTED.slice();
  } else {
    offered = SUPPORTED.slice();
  }
  setCurrent(choose(offered));
  renderSwitcher(switcher);
}

function renderSwitcher(container) {
  if (!container) return;
  while (container.firstChild) container.removeChild(container.firstChild);
  if (offered.length < 2) return;
  const group = document.createElement('ul');
  group.className = 'lang-switch';
  group.setAttribute('aria-label', `${STRINGS.fr['common.language']} / ${STRINGS.en['common.language']}`);
  for (const l of offered) {
    const li = document.createElement('li');
    const b = document.createElement('button');
    b.type = 'button';
    b.lang = l;
    b.textContent = NATIVE_NAMES[l] || l;
    b.setAttribute('aria-pressed', String(l === current));
    b.addEventListener('click', () => {
      switchTo(l);
      for (const other of group.querySelectorAll('button')) {
        other.setAttribute('aria-pressed', String(other.lang === current));
      }
    });
    li.append(b);
    group.append(li);
  }
  container.append(group);
}

/** Change language at the visitor's request, remember it, tell the page. */
export function switchTo(l) {
  if (!SUPPORTED.includes(l) || l === current) return;
  try {
    window.localStorage.setItem(STORE_KEY, l);
  } catch (_) {
    // Not remembered; still switched.
  }
  setCurrent(l);
  for (const fn of listeners) fn(l);
}

export function onChange(fn) {
  listeners.push(fn);
}

/** The event's language tag to send with what the visitor writes. */
export function contentLang(languages) {
  const list = Array.isArray(languages) && languages.length ? languages : eventLanguages;
  if (!list || !list.length) return current;
  return list.find((tag) => primary(tag) === current) || list[0];
}

/** Locale for dates: the browser's own variant of the interface language (fr-CA, en-GB…). */
function locale() {
  for (const tag of navigator.languages || [navigator.language]) {
    if (primary(tag) === current) return tag;
  }
  return current;
}

function valid(d) {
  return d instanceof Date && !Number.isNaN(d.getTime());
}

export function formatDateTime(iso) {
  const d = new Date(iso);
  if (!valid(d)) return '';
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'full', timeStyle: 'short' }).format(d);
}

export function formatTime(iso) {
  const d = new Date(iso);
  if (!valid(d)) return '';
  const sameDay = new Date().toDateString() === d.toDateString();
  const opts = sameDay ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' };
  return new Intl.DateTimeFormat(locale(), opts).format(d);
}

export function formatRange(startIso, endIso) {
  const a = new Date(startIso);
  const b = new Date(endIso);
  if (!valid(a)) return '';
  const fmt = new Intl.DateTimeFormat(locale(), { dateStyle: 'full', timeStyle: 'short' });
  if (!valid(b)) return fmt.format(a);
  try {
    return fmt.formatRange(a, b);
  } catch (_) {
    return `${fmt.format(a)} – ${fmt.format(b)}`;
  }
}
