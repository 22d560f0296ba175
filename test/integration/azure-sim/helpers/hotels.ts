/** The hotels index the Azure SDK live tests use (the recordings' data set), in wire format. */

export const HOTEL_FIELDS = [
  { name: 'hotelId', type: 'Edm.String', key: true, filterable: true, sortable: true },
  { name: 'hotelName', type: 'Edm.String', searchable: true, filterable: true, sortable: true },
  { name: 'description', type: 'Edm.String', searchable: true, analyzer: 'en.lucene' },
  { name: 'descriptionFr', type: 'Edm.String', searchable: true, analyzer: 'fr.lucene' },
  { name: 'category', type: 'Edm.String', searchable: true, filterable: true, facetable: true },
  { name: 'tags', type: 'Collection(Edm.String)', searchable: true, filterable: true, facetable: true },
  { name: 'parkingIncluded', type: 'Edm.Boolean', filterable: true },
  { name: 'smokingAllowed', type: 'Edm.Boolean', filterable: true },
  { name: 'lastRenovationDate', type: 'Edm.DateTimeOffset', filterable: true, sortable: true },
  { name: 'rating', type: 'Edm.Double', filterable: true, sortable: true },
  { name: 'location', type: 'Edm.GeographyPoint', filterable: true },
  {
    name: 'address',
    type: 'Edm.ComplexType',
    fields: [
      { name: 'streetAddress', type: 'Edm.String', searchable: true },
      { name: 'city', type: 'Edm.String', searchable: true, filterable: true },
      { name: 'stateProvince', type: 'Edm.String', searchable: true },
      { name: 'country', type: 'Edm.String', searchable: true },
      { name: 'postalCode', type: 'Edm.String', searchable: true },
    ],
  },
  {
    name: 'rooms',
    type: 'Collection(Edm.ComplexType)',
    fields: [
      { name: 'description', type: 'Edm.String', searchable: true },
      { name: 'descriptionFr', type: 'Edm.String', searchable: true },
      { name: 'type', type: 'Edm.String', searchable: true },
      { name: 'baseRate', type: 'Edm.Double', filterable: true },
      { name: 'bedOptions', type: 'Edm.String', searchable: true },
      { name: 'sleepsCount', type: 'Edm.Int32', filterable: true },
      { name: 'smokingAllowed', type: 'Edm.Boolean', filterable: true },
      { name: 'tags', type: 'Collection(Edm.String)', searchable: true },
    ],
  },
] as const;

export const VECTOR_FIELD = {
  name: 'vectorDescription',
  type: 'Collection(Edm.Single)',
  searchable: true,
  retrievable: false,
  dimensions: 1536,
  vectorSearchProfile: 'vector-profile',
} as const;

/** Index definition in wire format; `withVectors` adds an HNSW-profiled 1536-d vector field. */
export function hotelIndex(name: string, withVectors = false): Record<string, unknown> {
  return {
    name,
    fields: withVectors ? [...HOTEL_FIELDS, VECTOR_FIELD] : [...HOTEL_FIELDS],
    semantic: {
      configurations: [
        {
          name: 'semantic-configuration',
          prioritizedFields: {
            titleField: { fieldName: 'hotelName' },
            prioritizedContentFields: [{ fieldName: 'description' }],
            prioritizedKeywordsFields: [{ fieldName: 'tags' }],
          },
        },
      ],
    },
    ...(withVectors
      ? {
          vectorSearch: {
            algorithms: [{ name: 'hnsw', kind: 'hnsw', hnswParameters: { metric: 'cosine' } }],
            profiles: [{ name: 'vector-profile', algorithm: 'hnsw' }],
          },
        }
      : {}),
  };
}

/** Creates an index over raw HTTP (wire-format definition), failing loudly. */
export async function createIndexRaw(
  baseUrl: string,
  apiKey: string,
  definition: Record<string, unknown>,
): Promise<void> {
  const response = await fetch(`${baseUrl}/indexes?api-version=2024-07-01`, {
    method: 'POST',
    headers: { 'api-key': apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(definition),
  });
  if (response.status !== 201)
    throw new Error(`create index failed: ${response.status} ${await response.text()}`);
}

/** Short hotel documents (ids 1–10) in the shape of the SDK test data. */
export function sampleHotels(): Record<string, unknown>[] {
  const names = [
    'Fancy Stay',
    'Roach Motel',
    'EconoStay',
    'Express Rooms',
    'Comfy Place',
    'Surprisingly Expensive Suites',
    'Modern Stay',
    'Wow Hotel',
    'Secret Point Motel',
    'Countryside Hotel',
  ];
  const descriptions = [
    'Best hotel in town if you like luxury hotels. They have an amazing infinity pool, a spa, and a really helpful concierge.',
    'Cheapest hotel in town. Infact, a motel.',
    'Very popular hotel in town.',
    'Pretty good hotel near the airport.',
    'Another good hotel in town with a quiet garden.',
    'Definitely not a motel. Suites with a view of the bay.',
    'Modern architecture, very polite staff and very clean. Also very affordable.',
    'Unique hotel in a luxurious setting with a rooftop bar.',
    'The hotel is ideally located on the main commercial artery of the city in the heart of New York.',
    'Save up to 50% off traditional hotels. Free WiFi, great location near downtown, full kitchen.',
  ];
  return names.map((hotelName, i) => ({
    hotelId: String(i + 1),
    hotelName,
    description: descriptions[i],
    category: i % 3 === 0 ? 'Resort' : i % 3 === 1 ? 'Budget' : 'Boutique',
    tags: i % 2 === 0 ? ['pool', 'view'] : ['wifi'],
    rating: (i % 5) + 1,
    rooms: [],
  }));
}
