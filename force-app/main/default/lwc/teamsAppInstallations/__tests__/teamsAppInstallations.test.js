import { createElement } from 'lwc';
import TeamsAppInstallations, {
  TEAM_OWNER_PERMISSIONS,
  TENANT_WIDE_PERMISSIONS,
} from 'c/teamsAppInstallations';

const TEAMS = require('./data/teamsWithoutApp.json');
const MANIFEST = require('../../../../../../teams-app/manifest.template.json');

const $ = (element, selector) => element.shadowRoot.querySelector(selector);
const $$ = (element, selector) => [...element.shadowRoot.querySelectorAll(selector)];

async function create(props) {
  const element = createElement('c-teams-app-installations', { is: TeamsAppInstallations });
  Object.assign(element, props);
  document.body.appendChild(element);
  await Promise.resolve();
  return element;
}

describe('c-teams-app-installations', () => {
  afterEach(() => {
    while (document.body.firstChild) {
      document.body.removeChild(document.body.firstChild);
    }
  });

  it('names each linked team without the app (by name, else id), what the last install said, and what to do', async () => {
    const element = await create({ teams: TEAMS });
    const card = $(element, 'c-teams-admin-card');
    expect(card.description).toBe('c.TB_TeamsAppHelp');
    expect(card.empty).toBe(false);
    const rows = $$(element, 'li.team');
    expect(rows.map((row) => row.querySelector('.team-name').textContent)).toEqual([
      'Sales',
      '0a6d1f2e-3b4c-4d5e-8f90-a1b2c3d4e5f6',
    ]);
    expect(rows[0].querySelector('.last-attempt').textContent).toMatch(/403/);
    expect(rows[1].querySelector('.last-attempt')).toBeNull();
    expect($(element, '.hint').textContent).toBe('c.TB_TeamsAppHint');
    await expect(element).toBeAccessible();
  });

  it('says the app is everywhere when no team lacks it, and nothing of the kind when the service could not say', async () => {
    const everywhere = await create({ teams: [] });
    expect($(everywhere, 'c-teams-admin-card').empty).toBe(true);
    expect($(everywhere, 'c-teams-admin-card').emptyMessage).toBe('c.TB_TeamsAppEverywhere');
    expect($(everywhere, '.unknown')).toBeNull();
    const unknown = await create({ teams: null });
    expect($(unknown, 'c-teams-admin-card').empty).toBe(false);
    expect($(unknown, '.unknown').textContent).toBe('c.TB_TeamsAppUnknown');
    expect($$(unknown, 'li.team')).toEqual([]);
  });

  it('lists the tenant-wide permissions and the resource-specific ones a team owner grants (those of the manifest)', async () => {
    const element = await create({ teams: [] });
    const tenantWide = $$(element, 'ul.tenant-wide code').map((code) => code.textContent);
    expect(tenantWide).toContain('TeamsAppInstallation.ReadWriteAndConsentSelfForTeam.All');
    expect(tenantWide).toContain('ChannelMessage.Read.All');
    expect(tenantWide).toEqual(TENANT_WIDE_PERMISSIONS.map((p) => p.name));
    const teamOwner = $$(element, 'ul.team-owner code').map((code) => code.textContent);
    expect(teamOwner).toEqual(MANIFEST.authorization.permissions.resourceSpecific.map((p) => p.name));
    expect(teamOwner).toEqual(TEAM_OWNER_PERMISSIONS.map((p) => p.name));
    // No tenant-wide permission is listed as a team owner's, nor the other way round.
    expect(teamOwner.every((name) => name.endsWith('.Group'))).toBe(true);
    expect(tenantWide.some((name) => name.endsWith('.Group'))).toBe(false);
    await expect(element).toBeAccessible();
  });
});
