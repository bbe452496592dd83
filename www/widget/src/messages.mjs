// The words the widget itself shows. Findings are worded by the engine, in the ruleset's
// languages (`language` in the submission); what stays here is the widget's own chrome: the
// questions it adds, and a translation of the statements (shown above the English text the
// donor confirms).

// Translations of the attestation texts, keyed by the exact English text they translate: a
// committee that words a statement differently gets no stale translation.
/** @type {Record<string, string>} */
export const SPANISH_ATTESTATIONS = {
  'I am a U.S. citizen or a lawfully admitted permanent resident (green card holder).': 'Soy ciudadano o ciudadana de los EE. UU., o residente permanente legal (titular de tarjeta verde).',
  'This contribution is made from my own funds, not funds given to me by another person or entity to make it.': 'Hago esta contribución con mis propios fondos, no con fondos que otra persona o entidad me haya dado para hacerla.',
  'I am paying with my own personal card, not a corporate or business card or a card issued to someone else.': 'Pago con mi propia tarjeta personal, no con una tarjeta corporativa o de empresa ni con una tarjeta emitida a nombre de otra persona.',
  'I am not a federal government contractor.': 'No soy contratista del gobierno federal.',
  'I am at least 18 years old.': 'Tengo al menos 18 años.',
};
/**
 * @typedef {{
 *   summary: string, rules: string, rulesHint: string, cit: string, citHint: string,
 *   us_citizen: string, us_national: string, permanent_resident: string, foreign_national: string,
 *   pp: string, ppHint: string, form: string
 * }} UiWords
 */
/** The widget's words by language (`en`, `es`): a key per thing it shows. @type {Record<string, UiWords>} */
export const UI_WORDS = {
  en: {
    summary: 'Please correct the following to continue:',
    rules: 'Contribution rules',
    rulesHint: 'By checking each box, I confirm that the statement is true.',
    cit: 'Citizenship',
    citHint: 'Federal law allows contributions only from U.S. citizens, U.S. nationals and green card holders.',
    us_citizen: 'U.S. citizen',
    us_national: 'U.S. national (for example, born in American Samoa)',
    permanent_resident: 'Lawful permanent resident (green card holder)',
    foreign_national: 'None of these (foreign national)',
    pp: 'U.S. passport number',
    ppHint: 'Your address is outside the United States. Federal law asks U.S. citizens abroad for a passport number: nine digits, or one letter and eight digits.',
    form: 'Form',
  },
  es: {
    summary: 'Corrija lo siguiente para continuar:',
    rules: 'Reglas de contribución',
    rulesHint: 'Al marcar cada casilla, confirmo que la declaración es verdadera. Usted confirma el texto legal en inglés que aparece debajo de cada traducción.',
    cit: 'Ciudadanía',
    citHint: 'La ley federal solo permite contribuciones de ciudadanos y nacionales de los EE. UU. y de titulares de tarjeta verde.',
    us_citizen: 'Ciudadano o ciudadana de los EE. UU.',
    us_national: 'Nacional de los EE. UU. (por ejemplo, nacido o nacida en Samoa Americana)',
    permanent_resident: 'Residente permanente legal (titular de tarjeta verde)',
    foreign_national: 'Ninguna de las anteriores (persona extranjera)',
    pp: 'Número de pasaporte de los EE. UU.',
    ppHint: 'Su dirección está fuera de los Estados Unidos. La ley federal pide a los ciudadanos que viven en el extranjero un número de pasaporte: nueve dígitos, o una letra y ocho dígitos.',
    form: 'Formulario',
  },
};
/** The citizenship question's answers, in the order shown (the engine's values). */
export const CITIZENSHIP_ANSWERS = /** @type {const} */ (['us_citizen', 'us_national', 'permanent_resident', 'foreign_national']);
