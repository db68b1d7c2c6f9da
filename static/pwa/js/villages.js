// Every settlement of the gazetteer, however many there are: the API gives at most 1,000 a
// page, so once the first page has said how many there are, the rest are asked for together.
const PAGE = 1000;

async function page(offset) {
  const response = await fetch(`/api/v1/villages?limit=${PAGE}&offset=${offset}`);
  if (!response.ok) throw new Error(`/api/v1/villages: ${response.status}`);
  return response.json();
}

export async function allVillages() {
  const first = await page(0);
  const rest = [];
  for (let offset = PAGE; offset < first.total; offset += PAGE) rest.push(page(offset));
  return [first, ...(await Promise.all(rest))].flatMap((p) => p.items);
}

// Okrugs' names told apart: where two okrugs of one district share a name (the gazetteer has two
// "Жосалинский с.о." in Karmakshy), each carries its centre settlement's name too, in every
// language. `villages`: KATO code -> a settlement with `names`.
export function okrugNamesTold(okrugs, villages) {
  const key = (o, lang) => `${o.district_kato}|${o.names[lang] || o.names.ru}`;
  const out = new Map();
  for (const o of okrugs) out.set(o.kato, { ...o.names });
  for (const lang of ['kk', 'ru', 'en']) {
    const count = new Map();
    for (const o of okrugs) count.set(key(o, lang), (count.get(key(o, lang)) || 0) + 1);
    for (const o of okrugs) {
      const centre = villages.get(o.centre_kato)?.names;
      if (count.get(key(o, lang)) < 2 || !centre) continue;
      const own = o.names[lang] || o.names.ru;
      out.get(o.kato)[lang] = `${own} (${centre[lang] || centre.ru})`;
    }
  }
  return out;
}

