// The admin token lives in sessionStorage: entered once per tab, gone when the tab closes.
const KEY = 'bascule.adminToken';

export function loadToken(): string | null {
  return sessionStorage.getItem(KEY);
}

export function saveToken(token: string): void {
  sessionStorage.setItem(KEY, token);
}

export function forgetToken(): void {
  sessionStorage.removeItem(KEY);
}
