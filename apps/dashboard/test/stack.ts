// What the end-to-end test runs the page against. Until the gateway and the lab land, the fake admin API.
import { startFakeAdminApi } from './fakeAdminApi.ts';

export interface Stack {
  gatewayUrl: string;
  adminToken: string;
  /** The weight the gateway holds now for a component, read through the admin API. */
  weight(component: string): Promise<number>;
  /** Share of a sample of students routed to the production provider. */
  productionShare(component: string, students: number): Promise<number | null>;
  /** Make the component's production upstream fail. */
  injectFault(component: string): Promise<void>;
  close(): Promise<void>;
}

export async function startStack(): Promise<Stack> {
  const fake = await startFakeAdminApi('test-admin-token');
  return {
    gatewayUrl: fake.url,
    adminToken: fake.token,
    weight: async (c) => fake.weight(c),
    productionShare: async () => null,
    injectFault: async (c) => fake.injectFault(c),
    close: () => fake.close(),
  };
}
