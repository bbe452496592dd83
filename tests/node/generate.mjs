// Seeded generator of submissions for the differential test: every field of CONTRACT.md and
// its edges (blank strings, NFD and mixed-script names, every country form, territories,
// military mail, passports with spaces and dashes, amounts as strings, numbers and garbage,
// history, client_verdict, unknown fields, deep nesting, oversize, invalid JSON).
//
// generate(seed, n) yields `{ input, text }`: `input` is what JS code hands to check() (an object
// or a string), `text` the one line of JSON the CLI gets for it (JSON.stringify for objects).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** mulberry32: small, fast, and the same sequence on every machine. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    chance: (p) => next() < p,
    pick: (xs) => xs[Math.floor(next() * xs.length)],
    /** Picks a generator by weight: [[weight, fn], ...]. */
    weighted: (table) => {
      const total = table.reduce((s, [w]) => s + w, 0);
      let x = next() * total;
      for (const [w, f] of table) {
        if ((x -= w) < 0) return typeof f === "function" ? f() : f;
      }
      const last = table[table.length - 1][1];
      return typeof last === "function" ? last() : last;
    },
  };
  return r;
}

const countriesPath = fileURLToPath(new URL("../../src/rulesets/countries.tsv", import.meta.url));
const COUNTRIES = readFileSync(countriesPath, "utf8")
  .split("\n")
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => {
    const [a2, a3, names] = l.split("\t");
    return { a2, a3, names: names.split("|") };
  });
const DOMESTIC = ["US", "PR", "GU", "VI", "AS", "MP"];
const FREELY_ASSOCIATED = ["FM", "MH", "PW", "UM"];
const STATES = (
  "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND OH OK " +
  "OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI AS MP AA AE AP"
).split(" ");
const ATTESTATIONS = ["us_citizen_or_lpr", "own_funds", "personal_card", "not_federal_contractor", "age_18_or_older"];
const ATTESTATION_DIGEST = "sha256:d0332970267738fa405792f1e33c1d4a69f33666866632cb6cd322e1a12feae6";

const NAMES = {
  ascii: ["Margaret", "Okafor", "Ada", "Lovelace", "O'Brien", "Smith-Jones", "de la Cruz", "Li", "X", "Mary Ann"],
  latin: ["José", "María", "Zoë", "Pe\u00f1a", "Müller", "Łukasz", "Øyvind", "Çelik", "Đặng", "Nguyễn", "Ångström"],
  nfd: ["Jose\u0301", "Zoe\u0308", "Pen\u0303a", "Mu\u0308ller", "Nguye\u0302\u0303n", "A\u030angstro\u0308m", "\u1100\u1161\u11a8"],
  // Combining marks out of canonical order: NFC must reorder them the same way everywhere.
  reorder: ["a\u0302\u0323", "a\u0323\u0302", "o\u031b\u0301\u0323", "e\u0301\u0327", "q\u0307\u0323"],
  greek: ["Νικόλαος", "Παπαδόπουλος", "Ελένη", "Αθήνα"],
  cyrillic: ["Владимир", "Иванов", "Наталья", "Київ"],
  // One word mixing Latin with a look-alike: the mixed_script finding.
  mixed: ["P\u03bfrtland", "\u0410da", "Unit\u0435d", "M\u0430ry", "Ιvan", "Sm\u0456th", "Jоhn"],
  other: ["山田", "たろう", "김민준", "محمد", "דוד", "अर्जुन", "สมชาย", "ⲁⲃ", "𝓐𝓭𝓪", "👩‍👩‍👧", "Ａｄａ", "ᏣᎳᎩ"],
  odd: ["\u200bAda", "Ada\u00a0Lovelace", "\tAda\t", "A\u0000da", "\u2028", "a\ufeffb", "\ufffd", "\\", '"', "<b>"],
};

const BLANKS = ["", " ", "   ", "\t", "\u00a0", "\u3000", "\n"];

/**
 * `digest(sub)`, when given, returns the engine's submission_digest and ruleset digest for a
 * submission, so that some client verdicts agree with the engine (the silent path).
 */
export function generate(seed, n, { digest } = {}) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    const kind = r.weighted([
      [86, "object"],
      [6, "text"],
      [4, "invalid"],
      [2, "deep"],
      [2, "oversize"],
    ]);
    let input;
    if (kind === "object") {
      // Half start from a valid submission and change a field or two (most outcomes are near
      // the valid ones); half are noisy in every field.
      input = r.chance(0.5) ? mutate(r, valid(r), r.pick([0, 0, 1, 1, 1, 2, 3])) : submission(r);
      const cvObject = input.client_verdict && typeof input.client_verdict === "object" && !Array.isArray(input.client_verdict);
      if (digest && cvObject && r.chance(0.5)) {
        const { client_verdict: cv, ...rest } = input;
        const d = digest(rest);
        if (d) {
          cv.submission_digest = d.submission_digest;
          cv.ruleset_digest = d.ruleset_digest;
          if (r.chance(0.5)) cv.decision = d.decision;
        }
      }
    }
    else if (kind === "text") input = reformat(r, JSON.stringify(submission(r)));
    else if (kind === "invalid") input = invalidJson(r, JSON.stringify(submission(r)));
    else if (kind === "deep") input = deep(r);
    else input = oversize(r);
    const text = typeof input === "string" ? input : JSON.stringify(input);
    out.push({ input, text });
  }
  return out;
}

function maybe(r, p, f) {
  return r.chance(p) ? f() : undefined;
}

/** Drops keys whose value is undefined (JSON.stringify would anyway; this keeps inputs clear). */
function clean(o) {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

function blankish(r, value) {
  return r.weighted([
    [85, () => value],
    [6, () => r.pick(BLANKS)],
    [4, () => null],
    [5, () => `${r.pick(["", " ", "  "])}${value}${r.pick(["", " ", "\t"])}`],
  ]);
}

function name(r) {
  const family = r.weighted([
    [40, "ascii"],
    [14, "latin"],
    [10, "nfd"],
    [4, "reorder"],
    [6, "greek"],
    [6, "cyrillic"],
    [8, "mixed"],
    [6, "other"],
    [6, "odd"],
  ]);
  let s = r.pick(NAMES[family]);
  if (r.chance(0.1)) s = `${s} ${r.pick(NAMES[r.pick(Object.keys(NAMES))])}`;
  if (r.chance(0.02)) s = s.repeat(r.int(20, 200));
  return blankish(r, s);
}

function randomCase(r, s) {
  return [...s].map((c) => (r.chance(0.5) ? c.toUpperCase() : c.toLowerCase())).join("");
}

function country(r) {
  return r.weighted([
    [40, () => "US"],
    [8, () => r.pick(DOMESTIC)],
    [4, () => r.pick(FREELY_ASSOCIATED)],
    [
      30,
      () => {
        const c = r.pick(COUNTRIES);
        const form = r.pick([c.a2, c.a3, ...c.names]);
        return r.weighted([
          [50, form],
          [20, () => randomCase(r, form)],
          [10, () => ` ${form.replaceAll(" ", "   ")} `],
          [5, () => form.normalize("NFD")],
          [15, () => form.toLowerCase()],
        ]);
      },
    ],
    [5, () => r.pick(["U.S.", "U.S.A.", "United States of America", "usa", "UK", "Georgia", "Côte d'Ivoire"])],
    [6, () => r.pick(["Narnia", "XX", "ZZZ", "Unit\u0435d States", "America", "U S", "🇺🇸", "00"])],
    [4, () => r.pick(BLANKS)],
    [3, () => null],
  ]);
}

function address(r, military) {
  if (military) {
    return {
      line1: r.pick(["PSC 1234, Box 5678", "Unit 2050 Box 4190", "USS Ronald Reagan"]),
      city: blankish(r, r.pick(["APO", "FPO", "DPO", "apo", "Fpo", "Berlin"])),
      state: blankish(r, r.pick(["AA", "AE", "AP", "ae", "NY"])),
      postal_code: r.pick(["09021", "96601", "34020", "09021-1234"]),
      country: r.pick(["US", "USA", "united states", "", "DE"]),
    };
  }
  return clean({
    line1: maybe(r, 0.93, () => blankish(r, r.pick(["418 Linden Avenue", "1 Main St", "Calle 5 #12", "ул. Ленина, 1", "1-2-3 Shibuya"]))),
    line2: maybe(r, 0.3, () => blankish(r, r.pick(["Apt 2", "", "Suite 100", "c/o Ada"]))),
    city: maybe(r, 0.93, () => (r.chance(0.2) ? name(r) : blankish(r, r.pick(["Springfield", "San Juan", "Hagåtña", "Paris", "Toronto", "Москва", "P\u03bfrtland"])))),
    state: maybe(r, 0.85, () =>
      blankish(
        r,
        r.weighted([
          [70, () => r.pick(STATES)],
          [10, () => r.pick(STATES).toLowerCase()],
          [10, () => r.pick(["ZZ", "Illinois", "ON", "BC", "I L", "XX", "QC"])],
          [10, () => r.pick(["Ontario", "Bavaria", "Île-de-France"])],
        ]),
      ),
    ),
    postal_code: maybe(r, 0.85, () =>
      blankish(
        r,
        r.weighted([
          [60, () => String(r.int(0, 99999)).padStart(5, "0")],
          [15, () => `${String(r.int(0, 99999)).padStart(5, "0")}-${String(r.int(0, 9999)).padStart(4, "0")}`],
          [25, () => r.pick(["6270", "627044", "K1A 0B1", "SW1A 1AA", "75008", "62704 1234", "6270-4", "ABCDE", "１２３４５"])],
        ]),
      ),
    ),
    country: maybe(r, 0.92, () => country(r)),
  });
}

function passport(r) {
  return clean({
    country: maybe(r, 0.85, () => r.weighted([[60, "US"], [10, "usa"], [20, () => country(r)], [10, () => r.pick(BLANKS)]])),
    number: maybe(r, 0.9, () =>
      blankish(
        r,
        r.weighted([
          [35, () => `${r.pick(["A", "B", "Z", "1", "5"])}${String(r.int(0, 99999999)).padStart(8, "0")}`],
          [15, () => {
            const d = String(r.int(0, 999999999)).padStart(9, "0");
            return `${d.slice(0, 3)}${r.pick([" ", "-", " - ", "  "])}${d.slice(3, 6)}${r.pick([" ", "-"])}${d.slice(6)}`;
          }],
          [10, () => `a${String(r.int(0, 99999999)).padStart(8, "0")}`],
          [20, () => r.pick(["12345", "1234567890", "AB1234567", "A1234567B", "X-1", "—123456789", "١٢٣٤٥٦٧٨٩", "A12345678\u200b"])],
          [20, () => `${String.fromCharCode(65 + r.int(0, 25))}${r.int(1000000, 99999999)}`],
        ]),
      ),
    ),
  });
}

function amount(r) {
  return r.weighted([
    [30, () => r.pick(["25.00", "25", "25.5", "0.01", "100.00", "100.01", "200.00", "200.01", "3500.00", "3500.01", "5000", "44300.00", "10000.01"])],
    [15, () => `${r.int(1, 5000)}.${String(r.int(0, 99)).padStart(2, "0")}`],
    [10, () => r.pick([25, 25.5, 100, 100.01, 200.01, 3500, 3500.01, 0.1 + 0.2, 1e21, 1e-7, 12.345, 5e-324, 2 ** 53 + 1, -5, 0, -0])],
    [5, () => r.int(1, 100000) / 100],
    [15, () => r.pick(["0", "0.00", "-1", "-25.00", "1e3", " 25", "25 ", "25.001", "1,000", "$25", "twenty", "25.", ".5", "0025.00", "999999999999999999999999.99", "1000000000.01", "٢٥", "２５"])],
    [5, () => r.pick(BLANKS)],
    [5, () => null],
    // Wrong types: invalid_field, not a finding.
    [2, () => r.pick([true, [], {}, ["25"]])],
  ]);
}

function total(r) {
  return r.weighted([
    [50, () => r.pick(["0", "0.00", "100", "3400.00", "3499.99", "3500", "4900.00", "150.00", "199.99"])],
    [20, () => r.int(0, 1000000) / 100],
    [15, () => `${r.int(0, 50000)}.${String(r.int(0, 99)).padStart(2, "0")}`],
    [5, () => null],
    // Malformed totals are invalid_field errors.
    [10, () => r.pick(["-1", "abc", "", "1.234", -5, true, "1e3"])],
  ]);
}

function enumValue(r, values, invalid) {
  return r.weighted([
    [85, () => r.pick(values)],
    [5, () => r.pick(BLANKS.slice(0, 3))],
    [4, () => null],
    [6, () => r.pick(invalid)],
  ]);
}

function affirmed(r) {
  return r.weighted([
    [50, () => [...ATTESTATIONS]],
    [20, () => ATTESTATIONS.filter(() => r.chance(0.7))],
    [10, () => [...ATTESTATIONS, ...ATTESTATIONS.slice(0, 2), null, "", " own_funds "]],
    [10, () => [...ATTESTATIONS.slice(1), "us_citizen", "I agree"]],
    [5, () => []],
    [5, () => null],
  ]);
}

function submission(r) {
  const candidate = r.chance(0.5);
  const military = r.chance(0.05);
  const sub = clean({
    id: maybe(r, 0.5, () =>
      r.weighted([
        [70, () => `sub-${r.int(0, 1e9)}`],
        [10, () => "x".repeat(r.pick([127, 128, 129]))],
        [10, () => "😀".repeat(r.pick([63, 64, 65]))],
        [5, () => r.pick(BLANKS)],
        [5, () => r.pick([1, null, true])],
      ]),
    ),
    ruleset: maybe(r, 0.15, () => r.pick(["us-federal-2025-2026", " us-federal-2025-2026 ", "", null, "us-ca-2026", "US-FEDERAL-2025-2026"])),
    recipient: maybe(r, 0.95, () =>
      clean({
        type: maybe(r, 0.95, () => (candidate ? "candidate" : enumValue(r, ["candidate", "pac", "party_national", "party_state"], ["PAC", "super_pac"]))),
        election: maybe(r, candidate ? 0.8 : 0.1, () => enumValue(r, ["primary", "general", "runoff", "special"], ["Primary", "recall"])),
      }),
    ),
    donor: maybe(r, 0.95, () =>
      clean({
        kind: maybe(r, 0.2, () => enumValue(r, ["individual", "organization"], ["company"])),
        first_name: maybe(r, 0.95, () => name(r)),
        last_name: maybe(r, 0.95, () => name(r)),
        email: maybe(r, 0.6, () => blankish(r, r.pick(["ada@example.org", "not an email", "josé@例え.jp"]))),
        address: maybe(r, 0.93, () => address(r, military)),
        citizenship: maybe(r, 0.85, () =>
          r.chance(0.7) ? "us_citizen" : enumValue(r, ["us_citizen", "us_national", "permanent_resident", "foreign_national"], ["canadian", "US"]),
        ),
        passport: maybe(r, 0.25, () => passport(r)),
        employer: maybe(r, 0.7, () => blankish(r, r.pick(["Acme", "Self-employed", "None", "Sangamon Valley Hospital", "Ｓｏｎｙ"]))),
        occupation: maybe(r, 0.7, () => blankish(r, r.pick(["Engineer", "Retired", "Not employed", "Nurse"]))),
      }),
    ),
    contribution: maybe(r, 0.95, () =>
      clean({
        amount: maybe(r, 0.95, () => amount(r)),
        currency: maybe(r, 0.4, () => r.pick(["USD", "usd", " USD ", "EUR", "CAD", "", "US$", "ｕｓｄ"])),
        method: maybe(r, 0.8, () => enumValue(r, ["card", "ach", "check", "wire", "cash", "other"], ["bitcoin", "Card"])),
        card: maybe(r, 0.5, () => clean({ country: maybe(r, 0.9, () => country(r)) })),
        bank_country: maybe(r, 0.2, () => country(r)),
      }),
    ),
    signals: maybe(r, 0.5, () => clean({ ip_country: maybe(r, 0.9, () => country(r)) })),
    attestations: maybe(r, 0.9, () =>
      clean({
        version: maybe(r, 0.7, () => r.weighted([[80, ATTESTATION_DIGEST], [10, "sha256:00"], [10, () => r.pick(BLANKS)]])),
        affirmed: maybe(r, 0.95, () => affirmed(r)),
      }),
    ),
    history: maybe(r, 0.2, () => clean({ prior_total: maybe(r, 0.8, () => total(r)), cycle_total: maybe(r, 0.5, () => total(r)) })),
  });
  if (r.chance(0.1)) {
    sub.client_verdict = clean({
      decision: maybe(r, 0.9, () => enumValue(r, ["accept", "review", "reject"], ["ok", "ACCEPT"])),
      submission_digest: maybe(r, 0.5, () => r.pick(["sha256:00", "", `sha256:${"ab".repeat(32)}`])),
      ruleset_digest: maybe(r, 0.5, () => r.pick(["sha256:00", "", "sha256:517c6deab7304169ee9708d20033ee7d5d52f50e41901ca8ae116d94b437e792"])),
    });
  }
  if (r.chance(0.03)) unknownField(r, sub);
  if (r.chance(0.03)) nullSomewhere(r, sub);
  return sub;
}

const AMOUNTS_OK = ["25.00", "25", "5", "50.00", "100", "150.00", "199.99", "250", "1000.00", "3500.00", 10, 25.5, 99.99];

/** A valid-looking submission in its many spellings: scripts, country forms, territories. */
function valid(r) {
  const type = r.pick(["candidate", "candidate", "pac", "party_national", "party_state"]);
  const method = r.pick(["card", "card", "card", "ach", "check", "wire", "cash", "other"]);
  const abroad = r.chance(0.15);
  const military = !abroad && r.chance(0.06);
  const family = r.pick(["ascii", "ascii", "ascii", "latin", "nfd", "reorder", "greek", "cyrillic", "other"]);
  const domestic = r.weighted([
    [70, () => r.pick(["US", "USA", "United States", "us", "U.S.", "united states of america", " US "])],
    [30, () => r.pick(DOMESTIC)],
  ]);
  let addr;
  if (military) addr = address(r, true);
  else if (abroad) {
    const c = r.pick(COUNTRIES.filter((c) => !DOMESTIC.includes(c.a2)));
    addr = clean({ line1: "12 Rue de Rivoli", city: r.pick(["Paris", "Toronto", "Москва", "東京", "Zürich"]), postal_code: maybe(r, 0.5, () => "75001"), country: r.pick([c.a2, c.a3, ...c.names]) });
  } else {
    const state = DOMESTIC.includes(domestic) && domestic !== "US" ? domestic : r.pick(STATES.slice(0, 51));
    const zip = String(r.int(501, 99950)).padStart(5, "0");
    addr = { line1: r.pick(["418 Linden Avenue", "1 Main St", "PO Box 12"]), city: r.pick(["Springfield", "Portland", "San Juan", "Hagåtña", "Pago Pago", "Saipan", "Charlotte Amalie", "Zoe\u0308ville"]), state: r.chance(0.1) ? state.toLowerCase() : state, postal_code: r.chance(0.2) ? `${zip}-${String(r.int(0, 9999)).padStart(4, "0")}` : zip, country: domestic };
  }
  const citizenship = r.weighted([[80, "us_citizen"], [8, "us_national"], [12, "permanent_resident"]]);
  const sub = clean({
    id: maybe(r, 0.5, () => `sub-${r.int(0, 1e9)}`),
    recipient: clean({ type, election: type === "candidate" ? maybe(r, 0.8, () => r.pick(["primary", "general", "runoff", "special"])) : undefined }),
    donor: clean({
      first_name: r.pick(NAMES[family]),
      last_name: r.pick(NAMES[family]),
      email: maybe(r, 0.7, () => "ada@example.org"),
      address: addr,
      citizenship,
      passport: abroad && citizenship !== "permanent_resident" && r.chance(0.8) ? { country: r.pick(["US", "usa", "United States"]), number: r.pick(["A12345678", "123456789", "123 456 789", "a1234-5678", "Z 1234 5678"]) } : undefined,
      employer: maybe(r, 0.8, () => r.pick(["Acme", "Self-employed", "None"])),
      occupation: maybe(r, 0.8, () => r.pick(["Engineer", "Retired", "Nurse"])),
    }),
    contribution: clean({
      amount: r.pick(method === "cash" ? ["25.00", "100", "100.00", 50] : AMOUNTS_OK),
      currency: maybe(r, 0.5, () => r.pick(["USD", "usd", " USD "])),
      method,
      card: method === "card" ? maybe(r, 0.7, () => ({ country: r.weighted([[85, "US"], [15, () => country(r)]]) })) : undefined,
      bank_country: ["ach", "check", "wire"].includes(method) ? maybe(r, 0.6, () => r.weighted([[85, "US"], [15, () => country(r)]])) : undefined,
    }),
    signals: maybe(r, 0.6, () => ({ ip_country: r.weighted([[80, "US"], [20, () => country(r)]]) })),
    attestations: clean({ version: maybe(r, 0.8, () => ATTESTATION_DIGEST), affirmed: [...ATTESTATIONS].sort(() => r.next() - 0.5) }),
    history: maybe(r, 0.25, () => clean({ prior_total: maybe(r, 0.8, () => r.pick(["0", "100.00", "3000", "3490.00", "4999.99", 150])), cycle_total: maybe(r, 0.4, () => r.pick(["0", "150.00", "1000"])) })),
  });
  return sub;
}

/** Changes k fields of a submission to wild values (see the field generators above). */
function mutate(r, sub, k) {
  const obj = (key) => (sub[key] && typeof sub[key] === "object" ? sub[key] : (sub[key] = {}));
  const donor = () => obj("donor");
  const addr = () => (donor().address && typeof donor().address === "object" ? donor().address : (donor().address = {}));
  const contribution = () => obj("contribution");
  const changes = [
    () => (donor().first_name = name(r)),
    () => (donor().last_name = name(r)),
    () => (addr().city = name(r)),
    () => (addr().country = country(r)),
    () => (addr().state = address(r, false).state ?? null),
    () => (addr().postal_code = address(r, false).postal_code ?? ""),
    () => (sub.donor = { ...donor(), address: address(r, r.chance(0.3)) }),
    () => (donor().passport = passport(r)),
    () => (donor().citizenship = enumValue(r, ["us_citizen", "us_national", "permanent_resident", "foreign_national"], ["canadian"])),
    () => (donor().kind = enumValue(r, ["individual", "organization"], ["company"])),
    () => (donor().employer = r.pick([...BLANKS, null])),
    () => (contribution().amount = amount(r)),
    () => (contribution().currency = r.pick(["EUR", "usd", "", "CAD", null])),
    () => (contribution().method = enumValue(r, ["card", "ach", "check", "wire", "cash", "other"], ["bitcoin"])),
    () => (contribution().card = { country: country(r) }),
    () => (contribution().bank_country = country(r)),
    () => (sub.signals = { ip_country: country(r) }),
    () => (sub.attestations = clean({ version: r.pick([ATTESTATION_DIGEST, "sha256:00", "", undefined]), affirmed: affirmed(r) })),
    () => (sub.history = clean({ prior_total: total(r), cycle_total: maybe(r, 0.5, () => total(r)) })),
    () => (sub.client_verdict = clean({ decision: enumValue(r, ["accept", "review", "reject"], ["ok"]) })),
    () => (sub.recipient = clean({ type: enumValue(r, ["candidate", "pac", "party_national", "party_state"], ["PAC"]), election: maybe(r, 0.5, () => enumValue(r, ["primary", "general", "runoff", "special"], ["recall"])) })),
    () => delete sub[r.pick(Object.keys(sub))],
    () => delete donor()[r.pick(Object.keys(donor()))],
    () => unknownField(r, sub),
    () => nullSomewhere(r, sub),
  ];
  for (let i = 0; i < k; i++) r.pick(changes)();
  return sub;
}

/** An unknown field at the top or inside a member: invalid_field with its path. */
function unknownField(r, sub) {
  const targets = [sub, ...Object.values(sub).filter((v) => v && typeof v === "object" && !Array.isArray(v))];
  const t = r.pick(targets);
  t[r.pick(["tip", "middle_name", "Amount", "zip", "__proto__x", "ruleset_id", "extra"])] = r.pick(["5.00", 1, null, {}, []]);
}

/** A member set to null or to a value of the wrong type. */
function nullSomewhere(r, sub) {
  const key = r.pick(["recipient", "donor", "contribution", "signals", "attestations", "history", "client_verdict"]);
  sub[key] = r.pick([null, [], "x", 0, [{}], true]);
}

/** The same JSON written differently: whitespace, escapes, key order, number forms. */
function reformat(r, text) {
  return r.weighted([
    [30, () => JSON.stringify(JSON.parse(text), null, r.pick([1, 2, "\t"])).replace(/\n/g, " ")],
    [20, () => ` \t${text}\t `],
    // Non-ASCII characters as \u escapes, as some JSON encoders write them.
    [25, () => text.replace(/[\u0080-\uffff]/g, (c) => `\\u${hex4(r, c.charCodeAt(0))}`)],
    [10, () => text.replace(/"25\.00"/g, "25.00").replace(/"3500\.01"/g, "3.50001e3")],
    [15, () => text.replace(/\//g, "\\/").replace(/:/g, " : ")],
  ]);
}

function hex4(r, code) {
  const h = code.toString(16).padStart(4, "0");
  return r.chance(0.5) ? h : h.toUpperCase();
}

function invalidJson(r, text) {
  return r.weighted([
    [10, () => text.slice(0, r.int(0, text.length - 1))],
    [8, () => `${text},`],
    [8, () => `${text}${r.pick(["}", "]", " x", "{}", " 1", "\u0000"])}`],
    [6, () => text.replace(/"/g, "'")],
    [6, () => text.replace(/\}$/, ",}")],
    [5, () => text.replace(/:"/, ':"\u0001')],
    [5, () => `\ufeff${text}`],
    [5, () => `// comment ${text}`],
    [5, () => text.replace(/"25\.00"/, "NaN").replace(/"amount":"[^"]*"/, '"amount":Infinity')],
    [5, () => text.replace(/"amount":"[^"]*"/, `"amount":${r.pick(["01", "1.", ".5", "-", "1e", "+1", "0x10", "1e999", "-1e999"])}`)],
    [5, () => text.replace(/"id":"/, '"id":"\\ud800').replace(/^\{/, '{"id":"\\udc00",')],
    [5, () => text.replace(/"first_name":"/, '"first_name":"\\x41')],
    [5, () => text.replace(/^\{/, '{"donor":{"first_name":"A"},')],
    [6, () => r.pick(["", " ", "null", "true", "0", '"{}"', "[]", "[{}]", "{", "}", "{}}", "{]", "{'a':1}", "{a:1}", "{\"\":1}", "\u00a0{}"])],
    [6, () => r.pick(["amount=25", "<submission/>", "undefined", "{\"id\" \"x\"}", "{\"id\":\"x\" \"ruleset\":\"y\"}", "{\"id\":\"\\\"}"])],
  ]);
}

function deep(r) {
  const depth = r.pick([15, 16, 16, 17, 18, 40, 1000]);
  const where = r.pick(["unknown", "affirmed", "top", "string"]);
  if (where === "top") return "[".repeat(depth) + "]".repeat(depth);
  if (where === "string") return `{"id":"${"[{".repeat(depth)}"}`;
  if (where === "affirmed") {
    // affirmed sits at depth 2; its nested arrays add the rest.
    const inner = "[".repeat(Math.max(depth - 2, 0)) + "]".repeat(Math.max(depth - 2, 0));
    return `{"attestations":{"affirmed":${inner || "[]"}}}`;
  }
  const inner = "{\"a\":".repeat(depth - 1) + "1" + "}".repeat(depth - 1);
  return `{"donor":${inner}}`.slice(0, 70_000);
}

function oversize(r) {
  // Around the 65,536-byte limit: under, at, just over and far over; ASCII and multi-byte
  // characters (the limit counts UTF-8 bytes, not JS characters).
  const shell = (pad) => `{"donor":{"first_name":"Ada","employer":"${pad}"}}`;
  const base = shell("").length;
  return r.weighted([
    [30, () => shell(" ".repeat(65_536 - base + r.pick([-1, 0, 1, 2, 3])))],
    [20, () => shell("é".repeat(Math.floor((65_536 - base) / 2) + r.pick([-1, 0, 1])))],
    [20, () => shell("😀".repeat(Math.floor((65_536 - base) / 4) + r.pick([-1, 0, 1])))],
    [20, () => shell("x".repeat(r.int(66_000, 300_000)))],
    [10, () => `{"id":"${"x".repeat(r.int(65_530, 65_540))}`],
  ]);
}
