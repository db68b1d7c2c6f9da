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
