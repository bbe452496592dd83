// The words the widget itself shows. Findings are worded by the engine, in the ruleset's
// languages (`language` in the submission), and so are the statements and the hints under the
// questions (the ruleset's `attestations[].texts` and `prompts`); what stays here is the widget's
// own chrome: the labels of the questions it adds.

/**
 * @typedef {{
 *   summary: string, rules: string, rulesHint: string, cit: string,
 *   us_citizen: string, us_national: string, permanent_resident: string, foreign_national: string,
 *   pp: string, form: string
 * }} UiWords
 */
/** The widget's words by language (`en`, `es`): a key per thing it shows. @type {Record<string, UiWords>} */
export const UI_WORDS = {
  en: {
    summary: 'Please correct the following to continue:',
    rules: 'Contribution rules',
    rulesHint: 'By checking each box, I confirm that the statement is true.',
    cit: 'Citizenship',
    us_citizen: 'U.S. citizen',
    us_national: 'U.S. national (for example, born in American Samoa)',
    permanent_resident: 'Lawful permanent resident (green card holder)',
    foreign_national: 'None of these (foreign national)',
    pp: 'U.S. passport number',
    form: 'Form',
  },
  es: {
    summary: 'Corrija lo siguiente para continuar:',
    rules: 'Reglas de contribución',
    rulesHint: 'Al marcar cada casilla, confirmo que la declaración es verdadera. Usted confirma el texto legal en inglés que aparece debajo de cada traducción.',
    cit: 'Ciudadanía',
    us_citizen: 'Ciudadano o ciudadana de los EE. UU.',
    us_national: 'Nacional de los EE. UU. (por ejemplo, nacido o nacida en Samoa Americana)',
    permanent_resident: 'Residente permanente legal (titular de tarjeta verde)',
    foreign_national: 'Ninguna de las anteriores (persona extranjera)',
    pp: 'Número de pasaporte de los EE. UU.',
    form: 'Formulario',
  },
};
/** The citizenship question's answers, in the order shown (the engine's values). */
export const CITIZENSHIP_ANSWERS = /** @type {const} */ (['us_citizen', 'us_national', 'permanent_resident', 'foreign_national']);
