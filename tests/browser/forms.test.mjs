// The platform corpus (tests/browser/forms/*.html): forms as GiveWP, WooCommerce, WPForms,
// Gravity Forms, Ninja Forms, Formidable, CiviCRM, EveryAction, Drupal Webform, Contact Form 7,
// Elementor, HubSpot, Jotform, NationBuilder, Luminate Online, Webflow, Fluent Forms and
// Formstack render them, and hand-written ones (Bootstrap placeholders, Spanish, button
// amounts), each with the widget's one script tag and no renamed field. For each:
//  (a) a U.S. citizen in Illinois (State picked from the page's own dropdown) gives $75 through
//      "Other", affirms the widget's statements and submits: the form posts, and the hidden
//      field says accept;
//  (b) a foreign national (the page's citizenship question answered "No") is blocked: nothing
//      is posted, and the engine's foreign-national message shows beside that question;
//  (c) the post of (a), forwarded as is to `donation-guard serve`'s POST /v1/forms/check, gives
//      the browser's submission_digest with no client_verdict_mismatch; and the submission the
//      widget built gives that digest in the native CLI too.
// One Chromium, one page server and one donation-guard server for the whole file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { start, nativeCheck, cli } from './server.mjs';
import { launch, ensureEngine, shot, watch } from './harness.mjs';
import { corpusPages, sourceOf, rulesetMessage, serveSupport, startServe, formPairs, hiddenResponse, walk, until } from './forms-lib.mjs';
import { existsSync } from 'node:fs';

const yes = (s) => `input[name="${s}"]`;
const SPECS = {
  givewp: {
    form: '#give-form-412-1', submit: '#give-purchase-button', container: '#give-us-citizen-wrap',
    text: { '#give-first': 'first', '#give-last': 'last', '#give-email': 'email', '#card_address': 'line1', '#card_city': 'city', '#card_zip': 'zip', '#give-employer': 'employer', '#give-occupation': 'occupation' },
    select: { '#card_state': 'state', '#billing_country': 'country' },
    other: { radio: '#give-radio-level-custom', box: '#give-amount' },
    citizen: { yes: yes('give_us_citizen') + '[value=yes]', no: yes('give_us_citizen') + '[value=no]' },
  },
  woocommerce: {
    form: 'form.woocommerce-checkout', submit: '#place_order', container: '#donor_citizenship_field',
    text: { '#billing_first_name': 'first', '#billing_last_name': 'last', '#billing_address_1': 'line1', '#billing_city': 'city', '#billing_postcode': 'zip', '#billing_email': 'email', '#donor_employer': 'employer', '#donor_occupation': 'occupation' },
    select: { '#billing_state': 'state', '#billing_country': 'United States (US)' },
    other: { radio: '#contribution_amount_other', box: '#contribution_other_amount' },
    citizen: { select: '#donor_citizenship', yes: 'Yes, I am a U.S. citizen', no: 'No' },
  },
  wpforms: {
    form: '#wpforms-form-87', submit: '#wpforms-submit-87', container: '#wpforms-87-field_8-container',
    text: { '#wpforms-87-field_0': 'first', '#wpforms-87-field_0-last': 'last', '#wpforms-87-field_1': 'email', '#wpforms-87-field_3': 'line1', '#wpforms-87-field_3-city': 'city', '#wpforms-87-field_3-postal': 'zip', '#wpforms-87-field_9': 'employer', '#wpforms-87-field_10': 'occupation' },
    select: { '#wpforms-87-field_3-state': 'state' },
    other: { radio: '#wpforms-87-field_5_4', box: '#wpforms-87-field_6' },
    citizen: { yes: '#wpforms-87-field_8_1', no: '#wpforms-87-field_8_2' },
  },
  gravityforms: {
    form: '#gform_3', submit: '#gform_submit_button_3', container: '#field_3_12',
    text: { '#input_3_1_3': 'first', '#input_3_1_6': 'last', '#input_3_2': 'email', '#input_3_3_1': 'line1', '#input_3_3_3': 'city', '#input_3_3_5': 'zip', '#input_3_8': 'employer', '#input_3_9': 'occupation' },
    select: { '#input_3_3_4': 'state' },
    other: { radio: '#choice_3_5_4', box: '#input_3_5_other' },
    citizen: { yes: '#choice_3_12_0', no: '#choice_3_12_1' },
  },
  ninjaforms: {
    form: '#nf-form-2', submit: '#nf-field-20', container: '#nf-field-16-container',
    text: { '#nf-field-5': 'first', '#nf-field-6': 'last', '#nf-field-7': 'email', '#nf-field-8': 'line1', '#nf-field-9': 'city', '#nf-field-11': 'zip', '#nf-field-17': 'employer', '#nf-field-18': 'occupation' },
    select: { '#nf-field-10': 'state', '#nf-field-12': 'country' },
    other: { radio: '#nf-field-14-3', box: '#nf-field-15' },
    citizen: { yes: '#nf-field-16-0', no: '#nf-field-16-1' },
  },
  formidable: {
    form: '#form_give2026', submit: 'button.frm_button_submit', container: '#frm_field_12_container',
    text: { '#field_name5_first': 'first', '#field_name5_last': 'last', '#field_email6': 'email', '#field_street7': 'line1', '#field_city8': 'city', '#field_zip10': 'zip', '#field_employer13': 'employer', '#field_occupation13': 'occupation' },
    select: { '#field_state9': 'state' },
    other: { radio: '#field_amount11-other_4', box: '#field_amount11-other_4-otext' },
    citizen: { yes: '#field_citizen12-0', no: '#field_citizen12-1' },
  },
  civicrm: {
    form: '#Main', submit: '#_qf_Main_upload-bottom', container: '#editrow-custom_12',
    text: { '#email-5': 'email', '#first_name': 'first', '#last_name': 'last', '#current_employer': 'employer', '#job_title': 'occupation', '#billing_first_name': 'first', '#billing_last_name': 'last', '#billing_street_address-5': 'line1', '#billing_city-5': 'city', '#billing_postal_code-5': 'zip' },
    select: { '#billing_country_id-5': 'country', '#billing_state_province_id-5': 'state' },
    other: { radio: null, box: '#price_3' },
    citizen: { yes: '#CIVICRM_QFID_1_custom_12', no: '#CIVICRM_QFID_0_custom_12' },
  },
  everyaction: {
    form: 'form.at-form', submit: 'input.at-submit', container: '.at-row.Questions_143021',
    text: { [yes('FirstName')]: 'first', [yes('LastName')]: 'last', [yes('AddressLine1')]: 'line1', [yes('PostalCode')]: 'zip', [yes('City')]: 'city', [yes('EmailAddress')]: 'email', [yes('Employer')]: 'employer', [yes('Occupation')]: 'occupation' },
    select: { 'select[name=StateProvince]': 'state', 'select[name=Country]': 'country' },
    other: { radio: 'input.radio-other', box: yes('OtherAmount') },
    citizen: { yes: yes('Questions_143021') + '[value=Yes]', no: yes('Questions_143021') + '[value=No]' },
  },
  'drupal-webform': {
    form: '#webform-submission-donate-node-7-add-form', submit: '#edit-actions-submit', container: '#edit-us-citizen--wrapper',
    text: { '#edit-first-name': 'first', '#edit-last-name': 'last', '#edit-email': 'email', '#edit-mailing-address-address': 'line1', '#edit-mailing-address-city': 'city', '#edit-mailing-address-postal-code': 'zip', '#edit-employer': 'employer', '#edit-occupation': 'occupation' },
    select: { '#edit-mailing-address-state-province': 'state' },
    other: { radio: '#edit-donation-amount-radios-other-', box: '#edit-donation-amount-other' },
    citizen: { yes: '#edit-us-citizen-yes', no: '#edit-us-citizen-no' },
  },
  plain: {
    form: '#donate', submit: 'button[type=submit]', container: 'div.row:has(#us_citizen)',
    text: { '#fname': 'first', '#lname': 'last', '#email': 'email', '#addr': 'line1', '#city': 'city', '#zip': 'zip', '#employer': 'employer', '#occupation': 'occupation' },
    select: { '#st': 'state' },
    other: { radio: '#aother', box: '#other_amount' },
    citizen: { select: '#us_citizen', yes: 'Yes', no: 'No' },
  },
  // Second configurations of three platforms: forms the first pages do not show.
  'givewp-buttons': {
    form: '#give-form-88-1', submit: '#give-purchase-button', container: '#us_citizen-88-wrap',
    text: { '#give-first': 'first', '#give-last': 'last', '#give-email': 'email', '#card_address': 'line1', '#card_city': 'city', '#card_zip': 'zip', '#employer-88': 'employer', '#occupation-88': 'occupation' },
    select: { '#card_state': 'state', '#billing_country': 'country' },
    other: { click: 'button[data-price-id=custom]', box: '#give-amount' },
    citizen: { yes: yes('us_citizen') + '[value=Yes]', no: yes('us_citizen') + '[value=No]' },
  },
  'gravityforms-legacy': {
    form: '#gform_5', submit: '#gform_submit_button_5', container: '#field_5_12',
    // The International address type has a free-text state: the donor types it.
    text: { '#input_5_1_3': 'first', '#input_5_1_6': 'last', '#input_5_2': 'email', '#input_5_3_1': 'line1', '#input_5_3_3': 'city', '#input_5_3_4': 'state', '#input_5_3_5': 'zip', '#input_5_8': 'employer', '#input_5_9': 'occupation' },
    select: { '#input_5_3_6': 'country' },
    other: { radio: '#choice_5_5_4', box: '#input_5_5_other' },
    citizen: { select: '#input_5_12', yes: 'I am a U.S. citizen', no: 'I am not a U.S. citizen or permanent resident' },
  },
  'drupal-webform-select': {
    form: '#webform-submission-contribute-add-form', submit: '#edit-actions-submit', container: '.form-item-eligibility',
    text: { '#edit-contributor-first': 'first', '#edit-contributor-last': 'last', '#edit-email-address': 'email', '#edit-home-address-address': 'line1', '#edit-home-address-city': 'city', '#edit-home-address-postal-code': 'zip', '#edit-emp': 'employer', '#edit-occ': 'occupation' },
    select: { '#edit-home-address-state-province': 'state' },
    other: { select: ['#edit-contribution-amount-select', 'Other…'], box: '#edit-contribution-amount-other' },
    citizen: { select: '#edit-eligibility', yes: 'U.S. citizen', no: 'Neither of these' },
  },
  'formidable-address': {
    form: '#form_contribute', submit: 'button.frm_button_submit', container: '#frm_field_25_container',
    text: { '#field_fname': 'first', '#field_lname': 'last', '#field_mail': 'email', '#field_addr23_line1': 'line1', '#field_addr23_city': 'city', '#field_addr23_zip': 'zip', '#field_addr23_country': 'country', '#field_work': 'employer', '#field_job': 'occupation' },
    select: { '#field_addr23_state': 'state' },
    other: { select: ['#field_gift', 'Other'], box: '#field_gift-otext' },
    citizen: { select: '#field_elig', yes: 'U.S. citizen', no: 'Not a U.S. citizen or green card holder' },
  },
  'wpforms-international': {
    form: '#wpforms-form-212', submit: '#wpforms-submit-212', container: '#wpforms-212-field_8-container',
    // One "Full Name" input; the International scheme's state is free text.
    text: { '#wpforms-212-field_0': 'full', '#wpforms-212-field_1': 'email', '#wpforms-212-field_3': 'line1', '#wpforms-212-field_3-city': 'city', '#wpforms-212-field_3-state': 'state', '#wpforms-212-field_3-postal': 'zip', '#wpforms-212-field_9': 'employer', '#wpforms-212-field_10': 'occupation' },
    select: { '#wpforms-212-field_3-country': 'United States of America' },
    other: { select: ['#wpforms-212-field_5', 'Other'], box: '#wpforms-212-field_6' },
    citizen: { select: '#wpforms-212-field_8', yes: 'Yes', no: 'No' },
  },
  'civicrm-profile': {
    form: '#Main', submit: '#_qf_Main_upload-bottom', container: '#editrow-custom_31',
    text: { '#email-Primary': 'email', '#first_name': 'first', '#last_name': 'last', '#street_address-Primary': 'line1', '#city-Primary': 'city', '#postal_code-Primary': 'zip', '#current_employer': 'employer', '#job_title': 'occupation' },
    select: { '#country-Primary': 'country', '#state_province-Primary': 'state' },
    other: { radio: '#CIVICRM_QFID_14_price_8', box: '#price_9' },
    citizen: { select: '#custom_31', yes: 'U.S. citizen', no: 'Neither' },
  },
  'ninjaforms-select': {
    form: '#nf-form-4', submit: '#nf-field-41', container: '#nf-field-38-container',
    text: { '#nf-field-30': 'full', '#nf-field-31': 'email', '#nf-field-32': 'line1', '#nf-field-33': 'city', '#nf-field-35': 'zip', '#nf-field-39': 'employer', '#nf-field-40': 'occupation' },
    select: { '#nf-field-34': 'state' },
    other: { select: ['#nf-field-36', 'Other amount'], box: '#nf-field-37' },
    citizen: { select: '#nf-field-38', yes: 'U.S. Citizen', no: 'Foreign National' },
  },
  // Issue 8 follow-through: platforms and patterns the first pages do not show.
  contactform7: {
    form: '#wpcf7-f241-form', submit: '#cf7-submit', container: '#citizenship-row',
    // One "Your name" box; state and country typed; labels wrap their inputs.
    text: { '#your-name': 'full', '#your-email': 'email', '#street-address': 'line1', '#your-city': 'city', '#your-state': 'state', '#postal-code': 'zip', '#your-country': 'USA', '#your-work': 'employer', '#your-job': 'occupation' },
    other: { radio: '#gift-other', box: '#other-amount' },
    // The acceptance box every donor ticks says "I confirm that I am not a foreign national".
    always: ['#not-foreign'],
    citizen: { select: '#citizenship-status', yes: 'I am a U.S. citizen', no: 'I am neither' },
  },
  elementor: {
    form: '#elementor-donate', submit: '#elementor-submit', container: '#citizen-group',
    text: { '#form-field-name': 'first', '#form-field-field_4c2d1e8': 'last', '#form-field-email': 'email', '#form-field-field_a91c0f2': 'line1', '#form-field-city': 'city', '#form-field-state': 'IL', '#form-field-field_9a8b7c6': 'zip', '#form-field-country': 'United States of America', '#form-field-employer': 'employer', '#form-field-field_1b2c3d4': 'occupation' },
    other: { select: ['#form-field-amount', 'Other'], box: '#form-field-other' },
    citizen: { yes: '#form-field-field_77e0a51-0', no: '#form-field-field_77e0a51-1' },
  },
  hubspot: {
    form: '#hsForm_9f2c41d0-77e1-4b4e-8d0c-1f6b2a55c3e9', submit: '#hs-submit', container: '#hs-citizen-field',
    text: { '#firstname-9f2c41d0': 'first', '#lastname-9f2c41d0': 'last', '#email-9f2c41d0': 'email', '#address-9f2c41d0': 'line1', '#city-9f2c41d0': 'city', '#state-9f2c41d0': 'state', '#zip-9f2c41d0': 'zip', '#country-9f2c41d0': 'country', '#employer_name__c-9f2c41d0': 'employer', '#jobtitle-9f2c41d0': 'occupation' },
    // One amount box and no preset levels.
    other: { radio: null, box: '#donation_amount-9f2c41d0' },
    citizen: { select: '#are_you_a_u_s__citizen_-9f2c41d0', yes: 'Yes', no: 'No' },
  },
  jotform: {
    form: 'form.jotform-form', submit: '#input_2', container: '#id_8',
    text: { '#first_3': 'first', '#last_3': 'last', '#input_5': 'email', '#input_4_addr_line1': 'line1', '#input_4_city': 'city', '#input_4_state': 'state', '#input_4_postal': 'zip', '#input_9': 'employer', '#input_10': 'occupation' },
    select: { '#input_4_country': 'United States' },
    other: { radio: '#other_6', box: '#input_6' },
    citizen: { yes: '#input_8_0', no: '#input_8_1' },
  },
  nationbuilder: {
    form: '#donation_form', submit: '#nb-submit', container: '#compliance-row',
    text: { '#donation_first_name': 'first', '#donation_last_name': 'last', '#donation_email': 'email', '#donation_billing_address_address1': 'line1', '#donation_billing_address_city': 'city', '#donation_billing_address_zip': 'zip', '#donation_employer': 'employer', '#donation_occupation': 'occupation' },
    select: { '#donation_billing_address_country_code': 'country', '#donation_billing_address_state': 'state' },
    other: { radio: '#donation_amount_option_other', box: '#donation_amount' },
    citizen: { select: '#donation_custom_values_compliance_1', yes: 'Yes', no: 'No' },
  },
  luminate: {
    form: '#ProcessForm', submit: '#pstep_finish', container: '#donor_custom_string1_row',
    text: { '#billing_first_namename': 'first', '#billing_last_namename': 'last', '#billing_addr_street1name': 'line1', '#billing_addr_cityname': 'city', '#billing_addr_zipname': 'zip', '#donor_email_addressname': 'email', '#donor_employername': 'employer', '#donor_occupationname': 'occupation' },
    select: { '#billing_addr_state': 'state', '#billing_addr_country': 'country' },
    other: { radio: '#level_standardexpanded41360', box: '#level_standardexpanded41360amount' },
    citizen: { select: '#donor_custom_string1', yes: 'U.S. citizen', no: 'Foreign national' },
  },
  webflow: {
    form: '#wf-form-Donate', submit: '#wf-submit', container: '#citizen-wrap',
    text: { '#Full-Name': 'full', '#Email': 'email', '#Street-Address': 'line1', '#City': 'city', '#Zip-Code': 'zip', '#Country': 'U.S.', '#Employer': 'employer', '#Occupation': 'occupation' },
    select: { '#State': 'state' },
    other: { radio: '#amount-other', box: '#Other-Amount' },
    // One checkbox worded in the negative: a foreign national ticks it, a citizen leaves it.
    citizen: { check: '#Not-US-Citizen' },
  },
  fluentforms: {
    form: '#fluentform_7', submit: '#ff-submit', container: '#ff-citizen-group',
    text: { '#ff_7_names_first_name_': 'first', '#ff_7_names_last_name_': 'last', '#ff_7_email': 'email', '#ff_7_address_1_address_line_1_': 'line1', '#ff_7_address_1_city_': 'city', '#ff_7_address_1_state_': 'state', '#ff_7_address_1_zip_': 'zip', '#ff_7_input_text': 'employer', '#ff_7_input_text_1': 'occupation' },
    select: { '#ff_7_address_1_country_': 'country' },
    other: { select: ['#ff_7_payment_input', 'Other'], box: '#ff_7_custom-payment-amount' },
    citizen: { yes: '#input_radio_0b1a', no: '#input_radio_1b1a' },
  },
  formstack: {
    form: '#fsForm5512345', submit: '#fsSubmitButton5512345', container: '#fsCell139001109',
    text: { '#field139001101-first': 'first', '#field139001101-last': 'last', '#field139001102': 'email', '#field139001103-address': 'line1', '#field139001103-city': 'city', '#field139001103-zip': 'zip', '#field139001107': 'employer', '#field139001108': 'occupation' },
    // The State drop-down shows codes only.
    select: { '#field139001103-state': 'IL' },
    other: { select: ['#field139001105', 'Other'], box: '#field139001106' },
    citizen: { yes: '#field139001109_1', no: '#field139001109_3' },
  },
  'bootstrap-placeholders': {
    form: '#pitch-in', submit: '#pitch-submit', container: '#nc-wrap',
    text: { '#fn': 'first', '#ln': 'last', '#em': 'email', '#a1': 'line1', '#c': 'city', '#s': 'IL', '#z': 'zip', '#co': 'USA', '#wp': 'employer', '#jr': 'occupation' },
    other: { select: ['#amt', 'Other'], box: '#amt_other' },
    citizen: { check: '#nc' },
  },
  spanish: {
    // A Spanish page (lang="es"): the widget shows the ruleset's Spanish message.
    lang: 'es',
    form: '#done', submit: '#done-submit', container: '#ciudadania',
    text: { '#campo_3': 'first', '#campo_4': 'last', '#campo_5': 'email', '#campo_6': 'line1', '#campo_7': 'city', '#campo_9': 'zip', '#campo_10': 'Estados Unidos', '#campo_11': 'employer', '#campo_12': 'occupation' },
    select: { '#campo_8': 'state' },
    other: { radio: '#campo_1_otra', box: '#campo_2' },
    citizen: { yes: '#campo_13_si', no: '#campo_13_no' },
  },
  'buttons-hidden-amount': {
    // Preset amounts are <button>s writing <input type=hidden name=amount>: the widget describes
    // hidden inputs to mapForm by name only, and the engine takes that one as the amount.
    form: '#give', submit: '#give-submit', container: '#citizen-row',
    text: { '#first_name': 'first', '#last_name': 'last', '#email': 'email', '#address1': 'line1', '#city': 'city', '#zip': 'zip', '#employer': 'employer', '#occupation': 'occupation' },
    select: { '#state': 'state' },
    other: { click: '#amount-other-button', box: '#other_amount' },
    citizen: { select: '#us_citizen', yes: 'Yes', no: 'No' },
  },
};

const FOREIGN = rulesetMessage('foreign_national');
let server, browser, serve = null, serveSkip = serveSupport();
before(async () => {
  ensureEngine();
  server = await start({ pages: { ...corpusPages(), ...scriptTagOnly(corpusPages()), '/other/newsletter.html': () => NEWSLETTER } });
  browser = await launch();
  // A server that is missing or does not start is a failure, not a skip: the comparison is the point.
  assert.equal(serveSkip, false, String(serveSkip));
  serve = await startServe();
});
after(async () => { await browser?.close(); await server?.close(); await serve?.close(); });

const captures = () => server.posts.filter((p) => p.path === '/capture');

/**
 * Each page once more as a campaign that can only paste a script tag (the platform renders the
 * form, and its markup cannot be changed): the form loses data-donation-guard and its options,
 * which move to the script tag. Served as /forms/<name>.tag.html.
 */
function scriptTagOnly(pages) {
  const out = {};
  for (const [p, html] of Object.entries(pages)) {
    out[p.replace(/\.html$/, '.tag.html')] = () => {
      let text = html();
      const opts = [];
      text = text.replace(/<form\b[^>]*>/, (tag) => {
        assert.match(tag, /data-donation-guard/, p + ': the form is marked');
        return tag
          .replace(/\s+data-(recipient-type|election|citizenship|method|country)="([^"]*)"/g, (_, k, v) => {
            opts.push(` data-${k}="${v}"`);
            return '';
          })
          .replace(/\s+data-donation-guard(="[^"]*")?/, '');
      });
      return text.replace(/<script([^>]*donation-guard[^>]*)>/, (_, attrs) => `<script${attrs}${opts.join('')}>`);
    };
  }
  return out;
}

async function open(name) {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  const errors = watch(page);
  await page.goto(server.url + '/forms/' + name + '.html');
  // The widget's own promise; false (engine unavailable) is a failure here, not a skip.
  const up = await page.evaluate(() => (window.donationGuard ? window.donationGuard.ready : false));
  assert.equal(up, true, name + ': the widget is running (donationGuard.ready)');
  return { ctx, page, errors };
}

test('every page names its source at the top and embeds the widget with one script tag', () => {
  for (const name of Object.keys(SPECS)) {
    const src = sourceOf(name);
    assert.match(src, /Source:/, name);
    assert.match(src, /Platform:/, name);
  }
  const pages = corpusPages();
  assert.equal(Object.keys(pages).length, Object.keys(SPECS).length, 'one spec per page');
  for (const [p, html] of Object.entries(pages)) {
    const tags = html().match(/<script[^>]*donation-guard[^>]*>/g) || [];
    assert.equal(tags.length, 1, p + ': one widget script tag');
    assert.ok(!/data-dg-field/.test(html()), p + ': no field is annotated for the widget');
  }
});

for (const [name, spec] of Object.entries(SPECS)) {
  test(`${name}: a U.S. citizen in Illinois gives $75 through "Other"; the form posts and the hidden field says accept; the server agrees`, { skip: spec.skip && spec.skip.citizen }, async (t) => {
    const { ctx, page, errors } = await open(name);
    try {
      const affirmed = await walk(page, spec, { citizen: true });
      assert.ok(affirmed > 0, 'the widget shows statements to affirm');
      // What the widget built, before the page leaves.
      const built = await page.evaluate((f) => {
        const dg = window.donationGuard, form = document.querySelector(f);
        return { submission: dg.getSubmission(form), verdict: dg.getVerdict(form), response: dg.getResponse(form),
          ownCitizenship: !!form.querySelector('[data-dg-own] input[type=radio]') };
      }, spec.form);
      const before = captures().length;
      // Errors on the donation page itself (not on the page the post lands on, whose favicon 404s).
      const pageErrors = errors.slice();
      await page.click(spec.submit);
      const posted = await until(() => captures().length > before, 10000);
      if (!posted) await shot(page, `forms-${name}-citizen-blocked`);
      assert.ok(posted, `the form posted (verdict: ${JSON.stringify(built.verdict && built.verdict.findings.map((f) => f.code + '@' + f.field))})`);
      const post = captures().at(-1);
      const pairs = formPairs(post.type, post.body);
      const hidden = hiddenResponse(pairs);
      assert.equal(hidden.decision, 'accept', 'hidden field: ' + JSON.stringify(hidden));
      assert.ok(pairs.some(([, v]) => v === '75'), 'the post carries the 75 typed in the other box');
      assert.match(String(hidden.submission_digest), /^sha256:[0-9a-f]{64}$/);
      assert.ok(built.verdict && built.submission, 'donationGuard.getVerdict and getSubmission answer');
      assert.equal(built.verdict.submission_digest, hidden.submission_digest, 'getVerdict and the hidden field agree');
      // The submission the widget built, checked by the native engine: the same digest.
      if (existsSync(cli)) {
        const [line] = nativeCheck([JSON.stringify(built.submission)]);
        const native = JSON.parse(line);
        assert.equal(native.decision, 'accept', line);
        assert.equal(native.submission_digest, hidden.submission_digest, 'the native CLI digest of the widget\'s submission');
        assert.equal(built.submission.contribution.amount.replace(/\.00$/, ''), '75');
        assert.equal(built.submission.donor.address.state, 'IL');
        // A checkbox worded in the negative, left empty, says nothing (the widget's statements
        // cover citizenship); every other page's answer is read as a citizen.
        if (spec.citizen.check) assert.ok(!built.submission.donor.citizenship, JSON.stringify(built.submission.donor));
        else assert.equal(built.submission.donor.citizenship, 'us_citizen');
      }
      // (c) The campaign's back end forwards the post as it arrived.
      if (serve) {
        const r = await fetch(serve.url + '/v1/forms/check', { method: 'POST', headers: { 'content-type': post.type }, body: post.body });
        const text = await r.text();
        assert.equal(r.status, 200, text);
        const v = JSON.parse(text);
        const codes = (v.findings || []).map((f) => f.code);
        assert.ok(!codes.includes('client_verdict_mismatch'), 'no mismatch: ' + codes.join(','));
        assert.equal(v.submission_digest, hidden.submission_digest, 'the server built the browser\'s submission from the forwarded post');
        assert.equal(v.decision, 'accept', text);
      } else {
        t.diagnostic('POST /v1/forms/check not compared: ' + serveSkip);
      }
      assert.equal(built.ownCitizenship, false, 'the widget used the page\'s own citizenship question, adding none');
      assert.deepEqual(pageErrors, [], 'no errors on the donation page');
    } finally { await ctx.close(); }
  });

  test(`${name}: a foreign national is blocked, nothing is posted, and the message shows beside the citizenship question`, async () => {
    const { ctx, page } = await open(name);
    try {
      await walk(page, spec, { citizen: false });
      const before = captures().length;
      await page.click(spec.submit);
      const posted = await until(() => captures().length > before, 1500);
      assert.equal(posted, false, 'nothing was posted');
      assert.equal(page.url(), server.url + '/forms/' + name + '.html', 'the page stayed');
      assert.ok(FOREIGN && FOREIGN.length > 20, 'the ruleset has a foreign_national message');
      // Beside the question: inside its wrapper, or the element right after it.
      const where = await page.evaluate(([sel, msg]) => {
        const box = document.querySelector(sel);
        if (!box) return 'no container ' + sel;
        const shown = (el) => !!el && el.innerText.includes(msg) && el.getClientRects().length > 0;
        if (shown(box)) return 'inside';
        if (shown(box.nextElementSibling)) return 'after';
        const any = [...document.querySelectorAll('body *')].filter((e) => e.children.length === 0 && e.textContent.includes(msg)).map((e) => e.id || e.className || e.tagName);
        return 'elsewhere: ' + JSON.stringify(any);
      }, [spec.container, spec.lang ? rulesetMessage('foreign_national', spec.lang) : FOREIGN]);
      if (!/^(inside|after)$/.test(where)) await shot(page, `forms-${name}-foreign-message`);
      assert.match(where, /^(inside|after)$/, 'the foreign-national message beside the question: ' + where);
    } finally { await ctx.close(); }
  });
}

// With the script tag alone (no attribute on the form): the widget finds the donation form by
// what the engine reads in it, and a foreign national is still stopped.
for (const [name, spec] of Object.entries(SPECS)) {
  test(`${name}, script tag only: the widget finds the donation form and blocks a foreign national`, { skip: spec.skip && spec.skip.tag }, async () => {
    const ctx = await browser.newContext();
    const page = await ctx.newPage();
    try {
      await page.goto(server.url + '/forms/' + name + '.tag.html');
      assert.equal(await page.evaluate(() => (window.donationGuard ? window.donationGuard.ready : false)), true);
      const guarded = await page.evaluate((f) => !!window.donationGuard.getMapping(f), spec.form);
      assert.equal(guarded, true, 'the widget guards the form found by its fields');
      await walk(page, spec, { citizen: false });
      const before = captures().length;
      await page.click(spec.submit);
      assert.equal(await until(() => captures().length > before, 1500), false, 'nothing was posted');
      const v = await page.evaluate((f) => window.donationGuard.getVerdict(f), spec.form);
      assert.ok(v && v.findings.some((x) => x.code === 'foreign_national'), JSON.stringify(v && v.findings.map((x) => x.code)));
    } finally { await ctx.close(); }
  });
}

/** A page with the widget's script tag and no donation form: a newsletter sign-up and a search. */
const NEWSLETTER = `<!doctype html><html lang="en"><meta charset="utf-8"><title>News</title>
<form id="news" action="/capture" method="post">
  <label for="n-first">First name</label><input id="n-first" name="first_name">
  <label for="n-last">Last name</label><input id="n-last" name="last_name">
  <label for="n-email">Email</label><input id="n-email" name="email" type="email">
  <button id="n-go">Sign up</button>
</form>
<form id="search" action="/capture" method="get"><input name="q" aria-label="Search"></form>
<script src="/widget/donation-guard.js" async></script></html>`;

test('script tag only: a form that is not a donation form (no amount) is left alone and submits', async () => {
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  try {
    await page.goto(server.url + '/other/newsletter.html');
    assert.equal(await page.evaluate(() => window.donationGuard.ready), true);
    assert.equal(await page.evaluate(() => window.donationGuard.getMapping('#news')), null);
    assert.equal(await page.locator('[data-dg-own]').count(), 0, 'the widget added nothing');
    await page.fill('#n-first', 'Ada');
    await page.fill('#n-email', 'ada@example.org');
    const before = captures().length;
    await page.click('#n-go');
    assert.equal(await until(() => captures().length > before, 5000), true, 'the sign-up posts as if the widget were not there');
  } finally { await ctx.close(); }
});

// Preset amounts that are <button>s writing a hidden input: the donor who clicks "$25" and
// never touches the Other box must be accepted with $25.
test('buttons-hidden-amount: a donor who picks the $25 button is accepted with $25', async () => {
  const { ctx, page } = await open('buttons-hidden-amount');
  const spec = SPECS['buttons-hidden-amount'];
  try {
    await walk(page, { ...spec, other: { click: 'button[data-amount="25"]', box: '#other_amount' } }, { citizen: true });
    await page.fill('#other_amount', '');
    await page.click('button[data-amount="25"]');
    const built = await page.evaluate((f) => window.donationGuard.getSubmission(document.querySelector(f)), spec.form);
    assert.equal(built && built.contribution && built.contribution.amount, '25', JSON.stringify(built && built.contribution));
    const before = captures().length;
    await page.click(spec.submit);
    assert.equal(await until(() => captures().length > before, 10000), true, 'the form posted');
    const hidden = hiddenResponse(formPairs(captures().at(-1).type, captures().at(-1).body));
    assert.equal(hidden.decision, 'accept', JSON.stringify(hidden));
  } finally { await ctx.close(); }
});
