/** The OpenAPI 3.1 description served at /api/openapi.json (checked against ROUTES by test/console-api.test.ts). */
import { MAX_BODY_BYTES } from './api.js';

const error = { description: 'what is wrong: `field` and `reason`', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const accepted = { description: 'published through the router (role `api`)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Published' } } } };
const refusals = {
  '400': error,
  '401': { description: 'a bearer token (or a client certificate from [status] client_ca) is required: bound off loopback, or require_token' },
  '413': { description: `body larger than ${MAX_BODY_BYTES} bytes` },
  '415': error,
  '429': { description: 'too many requests from this address ([status] api_rate); Retry-After says when' },
};

export const OPENAPI = {
  openapi: '3.1.0',
  info: { title: 'takd console API', version: '1', description: 'Links, tracks and posting CoT, markers and GeoChat into takd. Loopback needs no token; bound off loopback (or with [status] require_token) every route but /health needs `Authorization: Bearer TOKEN` (`takd token` prints it) or, over HTTPS with [status] client_ca, a client certificate from that CA.' },
  components: {
    securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    schemas: {
      Error: { type: 'object', required: ['error', 'reason'], properties: { error: { type: 'string' }, field: { type: 'string' }, reason: { type: 'string' } } },
      Published: { type: 'object', required: ['uid', 'type', 'stale'], properties: { uid: { type: 'string' }, type: { type: 'string' }, stale: { type: 'string', format: 'date-time' } } },
      Marker: {
        type: 'object',
        required: ['lat', 'lon', 'callsign'],
        additionalProperties: false,
        properties: {
          lat: { type: 'number', minimum: -90, maximum: 90 },
          lon: { type: 'number', minimum: -180, maximum: 180 },
          hae: { type: 'number', description: 'metres above the WGS-84 ellipsoid' },
          type: { type: 'string', description: 'CoT type, default b-m-p-s-m (spot marker)', example: 'a-h-G' },
          sidc: { type: 'string', description: 'MIL-STD-2525 letter SIDC instead of type', example: 'SHGPUCI----' },
          callsign: { type: 'string', maxLength: 80 },
          remarks: { type: 'string', maxLength: 2000 },
          stale: { oneOf: [{ type: 'number', description: 'seconds from now, default 3600' }, { type: 'string', format: 'date-time' }] },
          uid: { type: 'string', description: 'default: a new takd-api-UUID; the same uid updates the marker' },
        },
      },
      Chat: {
        type: 'object',
        required: ['text'],
        additionalProperties: false,
        properties: {
          text: { type: 'string', maxLength: 4096 },
          room: { type: 'string', description: 'chat room id, default All Chat Rooms' },
          callsign: { type: 'string', description: 'one contact, by a callsign the box knows' },
          uid: { type: 'string', description: 'one contact, by uid' },
          from: { type: 'string', description: 'sender callsign shown, default the box\'s' },
        },
      },
    },
  },
  security: [{}, { bearer: [] }],
  paths: {
    '/api/links': { get: { summary: 'every source, input and output: state, detail, last error, counters, queue, rate and 15-minute history', responses: { '200': { description: 'links' }, '401': refusals['401'], '429': refusals['429'] } } },
    '/api/map': {
      get: {
        summary: 'the map settings: a raster tile URL template ([status] tiles, drawn over the built-in basemap) and its attribution, each null when unset',
        responses: { '200': { description: '{tiles, attribution}', content: { 'application/json': { schema: { type: 'object', required: ['tiles', 'attribution'], properties: { tiles: { type: ['string', 'null'] }, attribution: { type: ['string', 'null'] } } } } } }, '401': refusals['401'], '429': refusals['429'] },
      },
    },
    '/api/tracks': {
      get: {
        summary: 'the live tracks as a GeoJSON FeatureCollection',
        parameters: [
          { name: 'type', in: 'query', schema: { type: 'string' }, description: 'CoT type prefixes, comma-separated (a-f,a-h-G)' },
          { name: 'bbox', in: 'query', schema: { type: 'string' }, description: 'west,south,east,north in degrees' },
        ],
        responses: { '200': { description: 'FeatureCollection', content: { 'application/geo+json': {} } }, '400': error, '401': refusals['401'], '429': refusals['429'] },
      },
    },
    '/api/tracks/{uid}': {
      get: {
        summary: 'one track: its Feature with its trail and the CoT JSON event',
        parameters: [{ name: 'uid', in: 'path', required: true, schema: { type: 'string' } }],
        responses: { '200': { description: 'Feature' }, '404': error, '401': refusals['401'], '429': refusals['429'] },
      },
    },
    '/api/cot': {
      post: {
        summary: 'publish one CoT event, XML or CoT JSON (takd cot --json)',
        requestBody: { required: true, content: { 'application/xml': {}, 'application/json': {} } },
        responses: { '202': accepted, ...refusals },
      },
    },
    '/api/markers': {
      post: { summary: 'put a marker on every map', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Marker' } } } }, responses: { '202': accepted, ...refusals } },
    },
    '/api/chat': {
      post: { summary: 'send GeoChat to a room or one contact', requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Chat' } } } }, responses: { '202': accepted, ...refusals } },
    },
    '/api/events': { get: { summary: 'Server-Sent Events: `links` and `tracks` (as from the GET routes), at most twice a second, only when changed', responses: { '200': { description: 'text/event-stream' }, '401': refusals['401'], '429': refusals['429'] } } },
    '/api/openapi.json': { get: { summary: 'this description', responses: { '200': { description: 'OpenAPI 3.1' } } } },
  },
} as const;
