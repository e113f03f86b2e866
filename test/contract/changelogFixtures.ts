// A small contract of its own, so the changelog's expected lines do not move with openapi.yaml:
// Widget is shared by three operations' responses (two of them by WidgetOk), Name by two requests,
// and GET /health uses neither.
type Doc = any;

const json = (schema: Doc) => ({ content: { 'application/json': { schema } } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

export function widgets(version = '0.1.0'): Doc {
  return {
    openapi: '3.1.0',
    info: { title: 'Widgets', version },
    paths: {
      '/widgets': {
        get: {
          operationId: 'listWidgets',
          parameters: [{ name: 'since', in: 'query', schema: { type: 'string' } }],
          responses: { '200': { description: 'The widgets.', ...json({ type: 'array', items: ref('Widget') }) } },
        },
        post: {
          operationId: 'createWidget',
          requestBody: { required: true, ...json(ref('WidgetCreate')) },
          responses: { '201': { $ref: '#/components/responses/WidgetOk' } },
        },
      },
      '/widgets/{widget_id}': {
        parameters: [{ name: 'widget_id', in: 'path', required: true, schema: { type: 'string' } }],
        get: { operationId: 'getWidget', responses: { '200': { $ref: '#/components/responses/WidgetOk' } } },
        patch: {
          operationId: 'renameWidget',
          requestBody: { required: true, ...json(ref('WidgetRename')) },
          responses: { '204': { description: 'Renamed.' } },
        },
      },
      '/health': {
        get: {
          operationId: 'getHealth',
          responses: { '200': { description: 'Up.', ...json({ type: 'object', properties: { status: { type: 'string' } } }) } },
        },
      },
    },
    components: {
      responses: { WidgetOk: { description: 'The widget.', headers: { ETag: { schema: { type: 'string' } }, 'X-Request-Id': { schema: { type: 'string' } } }, ...json(ref('Widget')) } },
      schemas: {
        Timestamp: { type: 'string', format: 'date-time', maxLength: 64 },
        Name: { type: 'string' },
        Widget: { type: 'object', required: ['id'], properties: { id: { type: 'string' }, created_at: ref('Timestamp') } },
        WidgetCreate: { type: 'object', required: ['name'], properties: { name: ref('Name') } },
        WidgetRename: { type: 'object', required: ['name'], properties: { name: ref('Name') } },
      },
    },
  };
}
