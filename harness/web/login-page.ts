/**
 * The sign-in page: email and password, with a CSRF token bound to an
 * anonymous session (so a login form on another site cannot sign a victim
 * into the attacker's account).
 */
import { htmlText } from '../report/html-text.js';
import { csrfField, renderWebPage, type PageContext } from './web-page.js';

/**
 * @example
 *   renderLoginPage(context, { error: 'Email or password not recognised.' });
 */
export function renderLoginPage(context: PageContext, options: { error?: string; email?: string } = {}): string {
  return renderWebPage(context, 'Sign in', [
    '<h1>Sign in</h1>',
    options.error ? `<div class="error-summary" role="alert"><p>${htmlText(options.error, 400)}</p></div>` : '',
    '<form method="post" action="/login">',
    csrfField(context),
    '<div class="field"><label for="email">Email</label>',
    `<input id="email" name="email" type="email" autocomplete="username" required value="${options.email ? htmlText(options.email, 320) : ''}"></div>`,
    '<div class="field"><label for="password">Password</label>',
    '<input id="password" name="password" type="password" autocomplete="current-password" required></div>',
    '<button type="submit">Sign in</button>',
    '</form>',
  ]);
}
