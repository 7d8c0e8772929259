// What the end-to-end test runs the page against. Until the gateway and the lab land, the fake admin API.
import { startFakeAdminApi } from './fakeAdminApi.ts';

export interface Stack {
  gatewayUrl: string;
  adminToken: string;
  /** The weight the gateway holds now for a component, read through the admin API. */
  weight(component: string): Promise<number>;
  /** Share of a sample of students routed to the production provider. */
  productionShare(component: 'stt', students: number): Promise<number>;
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
    productionShare: async (component, students) => {
      let production = 0;
      for (let i = 0; i < students; i++) {
        const response = await fetch(`${fake.url}/v1/audio/transcriptions`, { method: 'POST', headers: { 'X-Student-Id': `élève-${i}` }, body: 'audio', signal: AbortSignal.timeout(5000) });
        await response.arrayBuffer();
        if (response.headers.get('x-bascule-component') !== component) throw new Error(`routed to ${response.headers.get('x-bascule-component')}, not ${component}`);
        if (response.headers.get('x-bascule-route') === 'production') production++;
      }
      return production / students;
    },
    injectFault: async (c) => fake.injectFault(c),
    close: () => fake.close(),
  };
}
