import { formDefinitionSchema, type FormDefinition, type FormDefinitionInput } from './definition.js';

export interface ShippedOptions {
  /** The queue (by name) request tickets of the shipped forms go to. */
  queue: string;
  /** Agent groups whose customer users the helpdesk forms reach; without them the helpdesk part is left out. */
  agentGroups?: string[];
}

const login = { field: 'login' } as const;

/**
 * The forms Loket ships (SPEC: reset-password, create-customer-user, deactivate-customer-user,
 * grant-group-access, request-service, request-by-ticket), plus team-request-service: a manager asks a
 * service for a report and a key user of the report's customer approves (a form for customers acts on
 * themselves only, so the manager's variant is a form of its own). Installed only when missing.
 */
export function shippedForms(opts: ShippedOptions): FormDefinition[] {
  const agentGroups = opts.agentGroups ?? [];
  const ticket = { queue: opts.queue };
  const forms: FormDefinitionInput[] = [
    {
      key: 'reset-password',
      title: { en: 'Reset a password', nl: 'Wachtwoord resetten', nb: 'Tilbakestill passord' },
      description: { en: 'Mails the person a one-time link to choose a new password.', nl: 'Stuurt de persoon een eenmalige link om een nieuw wachtwoord te kiezen.', nb: 'Sender personen en engangslenke for å velge nytt passord.' },
      category: 'helpdesk',
      audience: agentGroups.length ? ['agent', 'key-user'] : ['key-user'],
      agentGroups,
      target: 'customer-user',
      criteria: [{ check: 'target-valid' }],
      actions: [{ type: 'send-password-link', input: {} }],
      ticket,
    },
    {
      key: 'create-customer-user',
      title: { en: 'Add a colleague', nl: 'Collega toevoegen', nb: 'Legg til en kollega' },
      description: { en: 'Creates an account in your organisation; the colleague gets a link to choose a password.', nl: 'Maakt een account in uw organisatie; de collega krijgt een link om een wachtwoord te kiezen.', nb: 'Oppretter en konto i organisasjonen din; kollegaen får en lenke for å velge passord.' },
      category: 'organisation',
      audience: ['key-user'],
      target: 'customer',
      fields: [
        { key: 'firstName', label: { en: 'First name', nl: 'Voornaam', nb: 'Fornavn' }, type: 'text', required: true, maxLength: 100 },
        { key: 'lastName', label: { en: 'Last name', nl: 'Achternaam', nb: 'Etternavn' }, type: 'text', required: true, maxLength: 100 },
        { key: 'email', label: { en: 'E-mail address', nl: 'E-mailadres', nb: 'E-postadresse' }, type: 'email', required: true, maxLength: 191 },
        { key: 'login', label: { en: 'Login', nl: 'Gebruikersnaam', nb: 'Brukernavn' }, type: 'text', required: true, maxLength: 100, pattern: '[a-z0-9][a-z0-9._@-]*' },
      ],
      criteria: [{ check: 'login-free', field: 'login' }],
      actions: [
        { type: 'create-customer-user', input: { login, email: { field: 'email' }, firstName: { field: 'firstName' }, lastName: { field: 'lastName' }, customerId: { target: 'customerId' } } },
        { type: 'send-password-link', input: { login } },
      ],
      ticket,
    },
    {
      key: 'deactivate-customer-user',
      title: { en: 'Deactivate an account', nl: 'Account deactiveren', nb: 'Deaktiver en konto' },
      description: { en: 'The person can no longer sign in; open sessions end.', nl: 'De persoon kan niet meer inloggen; open sessies eindigen.', nb: 'Personen kan ikke lenger logge inn; åpne økter avsluttes.' },
      category: 'team',
      audience: ['key-user', 'manager'],
      target: 'customer-user',
      fields: [{ key: 'reason', label: { en: 'Reason', nl: 'Reden', nb: 'Grunn' }, type: 'textarea', required: true, maxLength: 1000 }],
      criteria: [{ check: 'target-valid' }],
      actions: [{ type: 'set-validity', input: { validity: 'invalid' } }],
      ticket,
    },
    {
      key: 'grant-group-access',
      title: { en: 'Grant group access', nl: 'Groepstoegang verlenen', nb: 'Gi gruppetilgang' },
      description: { en: 'Read access to a group your organisation holds; a key user of the person\'s organisation approves.', nl: 'Leestoegang tot een groep van uw organisatie; een key user van de organisatie van de persoon keurt goed.', nb: 'Lesetilgang til en gruppe organisasjonen har; en nøkkelbruker i personens organisasjon godkjenner.' },
      category: 'organisation',
      audience: ['key-user'],
      target: 'customer-user',
      fields: [{ key: 'group', label: { en: 'Group', nl: 'Groep', nb: 'Gruppe' }, type: 'select', required: true, source: 'groups' }],
      criteria: [{ check: 'target-valid' }, { check: 'group-not-held', field: 'group', permission: 'ro' }],
      actions: [{ type: 'grant-group', input: { group: { field: 'group' }, permission: 'ro' } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
      ticket,
    },
    {
      key: 'request-service',
      title: { en: 'Request a service', nl: 'Dienst aanvragen', nb: 'Be om en tjeneste' },
      description: { en: 'Your manager approves (or a key user of your organisation).', nl: 'Uw manager keurt goed (of een key user van uw organisatie).', nb: 'Lederen din godkjenner (eller en nøkkelbruker i organisasjonen).' },
      category: 'self-service',
      audience: ['customer'],
      target: 'self',
      fields: [
        { key: 'service', label: { en: 'Service', nl: 'Dienst', nb: 'Tjeneste' }, type: 'select', required: true, source: 'services' },
        { key: 'reason', label: { en: 'Why do you need it?', nl: 'Waarom heeft u het nodig?', nb: 'Hvorfor trenger du den?' }, type: 'textarea', maxLength: 1000 },
      ],
      criteria: [{ check: 'service-not-entitled', field: 'service' }],
      actions: [{ type: 'assign-service', input: { service: { field: 'service' } } }],
      approval: { steps: [{ approvers: [{ kind: 'manager-of-requester' }, { kind: 'key-users-of-target-customer' }], mode: 'any' }] },
      ticket,
    },
    {
      key: 'team-request-service',
      title: { en: 'Request a service for a team member', nl: 'Dienst aanvragen voor een teamlid', nb: 'Be om en tjeneste for et teammedlem' },
      description: { en: 'A key user of the organisation approves.', nl: 'Een key user van de organisatie keurt goed.', nb: 'En nøkkelbruker i organisasjonen godkjenner.' },
      category: 'team',
      audience: ['manager'],
      target: 'customer-user',
      fields: [{ key: 'service', label: { en: 'Service', nl: 'Dienst', nb: 'Tjeneste' }, type: 'select', required: true, source: 'services' }],
      criteria: [{ check: 'target-valid' }, { check: 'service-not-entitled', field: 'service' }],
      actions: [{ type: 'assign-service', input: { service: { field: 'service' } } }],
      approval: { steps: [{ approvers: [{ kind: 'key-users-of-target-customer' }], mode: 'any' }] },
      ticket,
    },
    {
      key: 'request-by-ticket',
      title: { en: 'Request a mailbox or storage', nl: 'Mailbox of opslag aanvragen', nb: 'Be om postboks eller lagring' },
      description: { en: 'The service desk handles it through the request ticket.', nl: 'De servicedesk handelt het af via het aanvraagticket.', nb: 'Servicedesken behandler det via forespørselssaken.' },
      category: 'self-service',
      audience: ['customer'],
      target: 'none',
      fields: [
        {
          key: 'kind',
          label: { en: 'What', nl: 'Wat', nb: 'Hva' },
          type: 'select',
          required: true,
          source: 'static',
          options: [
            { value: 'mailbox', label: { en: 'Shared mailbox', nl: 'Gedeelde mailbox', nb: 'Delt postboks' } },
            { value: 'storage', label: { en: 'Extra storage', nl: 'Extra opslag', nb: 'Ekstra lagring' } },
          ],
        },
        { key: 'details', label: { en: 'Details', nl: 'Details', nb: 'Detaljer' }, type: 'textarea', required: true, maxLength: 2000 },
      ],
      ticket,
    },
  ];
  return forms.map((f) => formDefinitionSchema.parse(f));
}
