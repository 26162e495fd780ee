/**
 * An "integration picker" as a front end might write it, with no framework: it loads the
 * integrations grouped by provider, creates one on a chosen provider, renames one without losing
 * a concurrent edit, and turns client errors into messages for people. picker.test.ts tests it
 * against the msw mocks.
 */
import type { Integration, ProviderInfo } from 'beaker-integrations';
import {
  getEtag,
  type IntegrationsClient,
  isIntegrationsApiError,
} from 'beaker-integrations/client';

/** One provider with its integrations, sorted by name. */
export interface PickerGroup {
  provider: ProviderInfo;
  integrations: Integration[];
}

/** The picker's actions, bound to one client. */
export interface IntegrationPicker {
  /** Loads the groups; a newer call aborts an older one that is still running. */
  load(): Promise<PickerGroup[]>;
  /** The providers that accept new integrations, for a "create on provider" menu. */
  creatableProviders(groups: readonly PickerGroup[]): ProviderInfo[];
  /** Creates an integration named `name` on a provider. */
  create(providerId: string, name: string): Promise<Integration>;
  /** Reads one integration for its detail view; the result carries its version for `rename`. */
  open(integrationId: string): Promise<Integration>;
  /** Renames an opened integration, unless someone changed it since it was opened. */
  rename(opened: Integration, name: string): Promise<Integration>;
  /** Turns any failure of the actions above into one sentence for the user. */
  describeError(error: unknown): string;
}

/** Creates the picker's actions on top of a client. */
export function createIntegrationPicker(client: IntegrationsClient): IntegrationPicker {
  let pending: AbortController | undefined;

  return {
    async load() {
      pending?.abort();
      const controller = new AbortController();
      pending = controller;
      const list = await client.listIntegrations({ signal: controller.signal });
      const integrations = Object.values(list.integrations);

      return list.providers.map((provider) => ({
        provider,
        integrations: integrations
          .filter((integration) => integration.provider === provider.id)
          .sort((left, right) => left.name.localeCompare(right.name)),
      }));
    },

    creatableProviders(groups) {
      return groups.map((group) => group.provider).filter((provider) => provider.mutable);
    },

    create(providerId, name) {
      return client.addIntegration(providerId, { name });
    },

    open(integrationId) {
      return client.getIntegration(integrationId);
    },

    rename(opened, name) {
      // If-Match makes the server reject the write with 412 when the integration changed.
      return client.updateIntegration(opened.uuid, { name }, { ifMatch: getEtag(opened) });
    },

    describeError(error) {
      if (isIntegrationsApiError(error, 'precondition_failed')) {
        return 'Someone else changed this integration; reload and try again.';
      }
      if (isIntegrationsApiError(error, 'provider_read_only')) {
        return 'This provider is read-only; pick another one.';
      }
      if (isIntegrationsApiError(error, 'validation_failed')) {
        return `Check the form: ${error.problem.errors?.map((field) => field.path).join(', ')}`;
      }
      if (isIntegrationsApiError(error)) return `Request failed: ${error.detail}`;
      if (error instanceof Error && error.name === 'AbortError') return 'Cancelled.';

      return error instanceof Error ? error.message : 'Something went wrong.';
    },
  };
}
