/**
 * The example page: lists integrations by provider, shows one with its resources, and adds, edits
 * and removes example resources, all through the typed client. Bundled by `npm run build:web`.
 */
import type {
  ExampleResource,
  FileResource,
  Integration,
  IntegrationList,
  Resource,
} from 'beaker-integrations';
import { createIntegrationsClient, isIntegrationsApiError } from 'beaker-integrations/client';

const sessionId = new URLSearchParams(location.search).get('session') ?? 'demo';
const client = createIntegrationsClient({ baseUrl: '/beaker/integrations', sessionId });

const providersView = element('providers');
const detailView = element('detail');
const statusView = element('status');
let selectedId: string | undefined;

function element(id: string): HTMLElement {
  const found = document.getElementById(id);
  if (found === null) throw new Error(`The page has no element with id "${id}"`);

  return found;
}

/** Creates an element with text content; text is never parsed as HTML. */
function create<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  text?: string,
  attributes: Record<string, string> = {},
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);

  return node;
}

function showError(error: unknown): void {
  statusView.textContent = isIntegrationsApiError(error)
    ? `${error.status} ${error.code}: ${error.detail}`
    : `Request failed: ${error instanceof Error ? error.message : String(error)}`;
}

async function run(action: () => Promise<void>): Promise<void> {
  statusView.textContent = '';
  try {
    await action();
  } catch (error) {
    showError(error);
  }
}

function renderList(list: IntegrationList): void {
  providersView.replaceChildren();
  for (const provider of list.providers) {
    const integrations = Object.values(list.integrations)
      .filter((integration) => integration.provider === provider.id)
      .sort((left, right) => left.name.localeCompare(right.name));
    const items = create('ul');
    for (const integration of integrations) {
      const button = create('button', integration.name, { type: 'button' });
      button.setAttribute('aria-current', String(integration.uuid === selectedId));
      button.addEventListener('click', () => run(() => showIntegration(integration.uuid)));
      const item = create('li');
      item.append(button);
      items.append(item);
    }
    if (integrations.length === 0) items.append(create('li', 'No integrations yet.'));
    providersView.append(create('h2', provider.display_name), items);
  }
}

async function refreshList(): Promise<void> {
  renderList(await client.listIntegrations());
}

async function showIntegration(integrationId: string): Promise<void> {
  selectedId = integrationId;
  const integration = await client.getIntegration(integrationId);
  renderIntegration(integration);
  await refreshList();
}

function renderIntegration(integration: Integration): void {
  const resources = Object.values(integration.resources);
  const heading = create('h2', integration.name);
  const summary = create('p', `${integration.datatype} · ${integration.provider}`, {
    class: 'hint',
  });
  const description = create('p', integration.description);
  const list = create('div', undefined, { 'aria-label': 'Resources' });
  for (const resource of resources) list.append(renderResource(integration.uuid, resource));
  if (resources.length === 0) list.append(create('p', 'No resources yet.', { class: 'hint' }));

  detailView.replaceChildren(heading, summary, description, create('h3', 'Resources'), list);
  detailView.append(create('h3', 'Add an example'), exampleForm(integration.uuid));
}

function renderResource(integrationId: string, resource: Resource): HTMLElement {
  const article = create('article', undefined, {
    class: 'resource',
    'data-resource-id': resource.resource_id,
  });
  if (resource.resource_type === 'example') {
    // Resource types are open-ended strings, so the check does not narrow the union by itself.
    const example = resource as ExampleResource;
    article.append(
      create('h4', example.query),
      create('pre', example.code),
      ...(example.notes ? [create('p', example.notes)] : []),
    );
    const edit = create('button', 'Edit', { type: 'button' });
    edit.addEventListener('click', () => {
      article.replaceChildren(exampleForm(integrationId, example));
    });
    const remove = create('button', 'Delete', { type: 'button' });
    remove.addEventListener('click', () =>
      run(async () => {
        await client.removeResource(integrationId, resource.resource_id);
        await showIntegration(integrationId);
      }),
    );
    article.append(edit, remove);
  } else if (resource.resource_type === 'file') {
    const file = resource as FileResource;
    article.append(create('h4', `File: ${file.name}`));
    if (file.content) article.append(create('pre', file.content));
  } else {
    article.append(create('h4', `${resource.resource_type}: ${resource.resource_id}`));
  }

  return article;
}

function field(label: string, name: string, value: string, multiline: boolean): HTMLElement {
  const wrapper = create('label', label);
  const input = multiline ? create('textarea', undefined, { rows: '4' }) : create('input');
  input.name = name;
  input.value = value;
  wrapper.append(input);

  return wrapper;
}

/** A form that adds an example, or edits `current` when it is given. */
function exampleForm(integrationId: string, current?: ExampleResource): HTMLFormElement {
  const form = create('form', undefined, {
    'aria-label': current ? 'Edit example' : 'Add example',
  });
  form.append(
    field('Question', 'query', current?.query ?? '', false),
    field('Code', 'code', current?.code ?? '', true),
    field('Notes', 'notes', current?.notes ?? '', true),
    create('button', current ? 'Save example' : 'Add example', { type: 'submit' }),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const data = new FormData(form);
    const fields = {
      query: String(data.get('query') ?? ''),
      code: String(data.get('code') ?? ''),
      notes: String(data.get('notes') ?? ''),
    };
    void run(async () => {
      if (current) await client.updateResource(integrationId, current.resource_id, fields);
      else await client.addResource(integrationId, { resource_type: 'example', ...fields });
      await showIntegration(integrationId);
    });
  });

  return form;
}

element('session').textContent = sessionId;
void run(refreshList);
