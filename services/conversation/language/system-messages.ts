/**
 * What the assistant says on its own (not from knowledge), in the customer's language. A small, reviewed set: each
 * message exists in every language below; a language without a translation gets English.
 */

export type SystemMessage = 'handedOff' | 'unsupportedLanguage';

const MESSAGES: Record<string, Record<SystemMessage, string>> = {
  en: {
    handedOff: "I'm not sure about this one, so I've passed your question to our support team. Someone will reply here shortly.",
    unsupportedLanguage: "I can't answer in English yet, so I've passed your question to our support team. Someone will reply here shortly.",
  },
  es: {
    handedOff: 'No estoy seguro de esta respuesta, así que he pasado tu pregunta a nuestro equipo de soporte. Alguien te responderá aquí en breve.',
    unsupportedLanguage: 'Todavía no puedo responder en español, así que he pasado tu pregunta a nuestro equipo de soporte. Alguien te responderá aquí en breve.',
  },
  de: {
    handedOff: 'Da bin ich mir nicht sicher, deshalb habe ich Ihre Frage an unser Support-Team weitergegeben. Jemand antwortet Ihnen hier in Kürze.',
    unsupportedLanguage: 'Auf Deutsch kann ich noch nicht antworten, deshalb habe ich Ihre Frage an unser Support-Team weitergegeben. Jemand antwortet Ihnen hier in Kürze.',
  },
  fr: {
    handedOff: "Je ne suis pas sûr de la réponse, j'ai donc transmis votre question à notre équipe d'assistance. Quelqu'un vous répondra ici très bientôt.",
    unsupportedLanguage: "Je ne peux pas encore répondre en français, j'ai donc transmis votre question à notre équipe d'assistance. Quelqu'un vous répondra ici très bientôt.",
  },
  ar: {
    handedOff: 'لست متأكدًا من الإجابة، لذلك أحلت سؤالك إلى فريق الدعم لدينا. سيرد عليك أحدهم هنا قريبًا.',
    unsupportedLanguage: 'لا أستطيع الرد باللغة العربية بعد، لذلك أحلت سؤالك إلى فريق الدعم لدينا. سيرد عليك أحدهم هنا قريبًا.',
  },
  pt: {
    handedOff: 'Não tenho certeza sobre isso, então encaminhei sua pergunta para nossa equipe de suporte. Alguém vai responder aqui em breve.',
    unsupportedLanguage: 'Ainda não consigo responder em português, então encaminhei sua pergunta para nossa equipe de suporte. Alguém vai responder aqui em breve.',
  },
  it: {
    handedOff: 'Non ne sono sicuro, quindi ho inoltrato la tua domanda al nostro team di assistenza. Qualcuno ti risponderà qui a breve.',
    unsupportedLanguage: 'Non posso ancora rispondere in italiano, quindi ho inoltrato la tua domanda al nostro team di assistenza. Qualcuno ti risponderà qui a breve.',
  },
  nl: {
    handedOff: 'Hier weet ik het antwoord niet zeker van, dus ik heb je vraag doorgestuurd naar ons supportteam. Iemand reageert hier binnenkort.',
    unsupportedLanguage: 'Ik kan nog niet in het Nederlands antwoorden, dus ik heb je vraag doorgestuurd naar ons supportteam. Iemand reageert hier binnenkort.',
  },
};

/** Languages with every system message translated. */
const SYSTEM_MESSAGE_LANGUAGES = Object.keys(MESSAGES);

/** The message in `language`, or in English when it has no translation. */
export function systemMessage(message: SystemMessage, language: string): string {
  return (MESSAGES[language] ?? MESSAGES.en!)[message];
}
