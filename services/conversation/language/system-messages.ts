/**
 * What the assistant says on its own (not from knowledge), in the customer's language. A small, reviewed set: each
 * message exists in every language below; a language without a translation gets English. A `{title}` in a message
 * is filled in by the caller (a known issue's title, as the bug tracker words it).
 */

export type SystemMessage = 'handedOff' | 'stillWithTeam' | 'unsupportedLanguage' | 'knownIssue' | 'knownIssueHandedOff';

const MESSAGES: Record<string, Record<SystemMessage, string>> = {
  en: {
    handedOff: "I'm not sure about this one, so I've passed your question to our support team. Someone will reply here shortly.",
    stillWithTeam: "Your conversation is already with our support team, and I've added this message to it. Someone will reply here shortly.",
    unsupportedLanguage: "I can't answer in English yet, so I've passed your question to our support team. Someone will reply here shortly.",
    knownIssue: 'This looks related to a known issue our team is working on: "{title}".',
    knownIssueHandedOff: "This looks related to a known issue our team is working on: \"{title}\". I've passed your question to our support team, and someone will follow up here shortly.",
  },
  es: {
    handedOff: 'No estoy seguro de esta respuesta, así que he pasado tu pregunta a nuestro equipo de soporte. Alguien te responderá aquí en breve.',
    stillWithTeam: 'Tu conversación ya está con nuestro equipo de soporte y he añadido este mensaje. Alguien te responderá aquí en breve.',
    unsupportedLanguage: 'Todavía no puedo responder en español, así que he pasado tu pregunta a nuestro equipo de soporte. Alguien te responderá aquí en breve.',
    knownIssue: 'Esto parece estar relacionado con un problema conocido en el que nuestro equipo ya está trabajando: «{title}».',
    knownIssueHandedOff: 'Esto parece estar relacionado con un problema conocido en el que nuestro equipo ya está trabajando: «{title}». He pasado tu pregunta a nuestro equipo de soporte y alguien te responderá aquí en breve.',
  },
  de: {
    handedOff: 'Da bin ich mir nicht sicher, deshalb habe ich Ihre Frage an unser Support-Team weitergegeben. Jemand antwortet Ihnen hier in Kürze.',
    stillWithTeam: 'Ihr Anliegen liegt bereits bei unserem Support-Team, und ich habe diese Nachricht hinzugefügt. Jemand antwortet Ihnen hier in Kürze.',
    unsupportedLanguage: 'Auf Deutsch kann ich noch nicht antworten, deshalb habe ich Ihre Frage an unser Support-Team weitergegeben. Jemand antwortet Ihnen hier in Kürze.',
    knownIssue: 'Das hängt wahrscheinlich mit einem bekannten Problem zusammen, an dem unser Team bereits arbeitet: „{title}“.',
    knownIssueHandedOff: 'Das hängt wahrscheinlich mit einem bekannten Problem zusammen, an dem unser Team bereits arbeitet: „{title}“. Ich habe Ihre Frage an unser Support-Team weitergegeben; jemand meldet sich hier in Kürze bei Ihnen.',
  },
  fr: {
    handedOff: "Je ne suis pas sûr de la réponse, j'ai donc transmis votre question à notre équipe d'assistance. Quelqu'un vous répondra ici très bientôt.",
    stillWithTeam: "Votre conversation est déjà entre les mains de notre équipe d'assistance, et j'y ai ajouté ce message. Quelqu'un vous répondra ici très bientôt.",
    unsupportedLanguage: "Je ne peux pas encore répondre en français, j'ai donc transmis votre question à notre équipe d'assistance. Quelqu'un vous répondra ici très bientôt.",
    knownIssue: 'Cela semble lié à un problème connu sur lequel notre équipe travaille déjà : « {title} ».',
    knownIssueHandedOff: 'Cela semble lié à un problème connu sur lequel notre équipe travaille déjà : « {title} ». J\'ai transmis votre question à notre équipe d\'assistance ; quelqu\'un vous répondra ici très bientôt.',
  },
  ar: {
    handedOff: 'لست متأكدًا من الإجابة، لذلك أحلت سؤالك إلى فريق الدعم لدينا. سيرد عليك أحدهم هنا قريبًا.',
    stillWithTeam: 'محادثتك لدى فريق الدعم لدينا بالفعل، وقد أضفت هذه الرسالة إليها. سيرد عليك أحدهم هنا قريبًا.',
    unsupportedLanguage: 'لا أستطيع الرد باللغة العربية بعد، لذلك أحلت سؤالك إلى فريق الدعم لدينا. سيرد عليك أحدهم هنا قريبًا.',
    knownIssue: 'يبدو أن هذا مرتبط بمشكلة معروفة يعمل فريقنا على حلها: "{title}".',
    knownIssueHandedOff: 'يبدو أن هذا مرتبط بمشكلة معروفة يعمل فريقنا على حلها: "{title}". لقد أحلت سؤالك إلى فريق الدعم لدينا، وسيتابع معك أحدهم هنا قريبًا.',
  },
  pt: {
    handedOff: 'Não tenho certeza sobre isso, então encaminhei sua pergunta para nossa equipe de suporte. Alguém vai responder aqui em breve.',
    stillWithTeam: 'Sua conversa já está com nossa equipe de suporte, e adicionei esta mensagem a ela. Alguém vai responder aqui em breve.',
    unsupportedLanguage: 'Ainda não consigo responder em português, então encaminhei sua pergunta para nossa equipe de suporte. Alguém vai responder aqui em breve.',
    knownIssue: 'Isso parece estar relacionado a um problema conhecido que nossa equipe já está resolvendo: "{title}".',
    knownIssueHandedOff: 'Isso parece estar relacionado a um problema conhecido que nossa equipe já está resolvendo: "{title}". Encaminhei sua pergunta para nossa equipe de suporte, e alguém vai dar retorno aqui em breve.',
  },
  it: {
    handedOff: 'Non ne sono sicuro, quindi ho inoltrato la tua domanda al nostro team di assistenza. Qualcuno ti risponderà qui a breve.',
    stillWithTeam: 'La tua conversazione è già con il nostro team di assistenza e ho aggiunto questo messaggio. Qualcuno ti risponderà qui a breve.',
    unsupportedLanguage: 'Non posso ancora rispondere in italiano, quindi ho inoltrato la tua domanda al nostro team di assistenza. Qualcuno ti risponderà qui a breve.',
    knownIssue: 'Sembra collegato a un problema noto su cui il nostro team sta già lavorando: "{title}".',
    knownIssueHandedOff: 'Sembra collegato a un problema noto su cui il nostro team sta già lavorando: "{title}". Ho inoltrato la tua domanda al nostro team di assistenza e qualcuno ti risponderà qui a breve.',
  },
  nl: {
    handedOff: 'Hier weet ik het antwoord niet zeker van, dus ik heb je vraag doorgestuurd naar ons supportteam. Iemand reageert hier binnenkort.',
    stillWithTeam: 'Je gesprek ligt al bij ons supportteam en ik heb dit bericht eraan toegevoegd. Iemand reageert hier binnenkort.',
    unsupportedLanguage: 'Ik kan nog niet in het Nederlands antwoorden, dus ik heb je vraag doorgestuurd naar ons supportteam. Iemand reageert hier binnenkort.',
    knownIssue: 'Dit lijkt te maken te hebben met een bekend probleem waar ons team al aan werkt: "{title}".',
    knownIssueHandedOff: 'Dit lijkt te maken te hebben met een bekend probleem waar ons team al aan werkt: "{title}". Ik heb je vraag doorgestuurd naar ons supportteam; iemand neemt hier binnenkort contact met je op.',
  },
};

/** The message in `language`, or in English when it has no translation, with its `{name}` placeholders filled in. */
export function systemMessage(message: SystemMessage, language: string, values: Record<string, string> = {}): string {
  // A function replacement, so a "$" in a value (a bug titled "$0 invoices") is taken literally.
  return (MESSAGES[language] ?? MESSAGES.en!)[message].replace(/\{(\w+)\}/g, (placeholder, name: string) => values[name] ?? placeholder);
}
