import { compounds, type Lexicon } from './lexicon.js';

const glue = [
  'de', 'het', 'een', 'je', 'van', 'en', 'in', 'op', 'te', 'is', 'dat', 'niet', 'met', 'voor', 'als', 'u', 'uw', 'om', 'er', 'of', 'naar',
  'dan', 'ook', 'bij', 'aan', 'wordt', 'kunt', 'moet', 'zijn', 'dit', 'die', 'wat', 'hoe', 'na', 'door', 'nog', 'geen', 'al', 'meer',
  'eerst', 'daarna', 'waar', 'wie', 'jouw', 'onze', 'we', 'kan', 'heeft', 'wel', 'zo',
];

const content = [
  'wachtwoord', 'account', 'aanmelden', 'toegang', 'mail', 'laptop', 'aanvraag', 'portaal', 'scherm', 'netwerk', 'printer', 'vpn',
  'gebruiker', 'melding', 'telefoon', 'update', 'bestand', 'bericht', 'mailbox', 'verbinding', 'foutmelding', 'instellingen', 'collega',
  'leidinggevende', 'agenda', 'vergadering', 'browser', 'applicatie', 'resetten', 'apparaat', 'inloggen', 'map', 'rechten', 'groep',
  'installeren', 'software', 'wifi', 'kantoor', 'herstarten', 'controleren', 'openen', 'kiezen', 'invullen', 'contact', 'servicedesk',
  'dienst', 'nieuw', 'verkeerd', 'geblokkeerd', 'verlopen', 'gedeeld', 'schijf', 'server', 'licentie', 'back-up', 'herstellen',
  'toetsenbord', 'beeldscherm', 'headset', 'camera', 'microfoon', 'accu', 'oplader', 'dockingstation', 'kabel', 'bureau', 'pas', 'gebouw',
  'parkeren', 'klikken', 'typen', 'wachten', 'proberen', 'bellen', 'vragen', 'sturen', 'ontvangen', 'opslaan', 'verwijderen', 'wijzigen',
  'toevoegen', 'verbinden', 'synchroniseren', 'downloaden', 'uploaden', 'goedkeuren', 'indienen', 'traag', 'snel', 'persoonlijk', 'veilig',
  'beschikbaar', 'ontbreekt', 'juist', 'oud', 'koppeling', 'pagina', 'knop', 'menu', 'venster', 'code', 'app', 'authenticatie',
  'verificatie', 'certificaat', 'thuis', 'thuiswerken', 'internet', 'router', 'cache', 'opslag', 'quotum', 'vol', 'bijlage', 'grootte',
  'limiet', 'inbox', 'spam', 'phishing', 'verdacht', 'doorsturen', 'beantwoorden', 'handtekening', 'gemachtigde', 'vervanger',
  'vakantie', 'afwezigheid', 'verlof', 'goedkeuring', 'formulier', 'veld', 'verplicht', 'status', 'prioriteit', 'dringend', 'storing',
  'onderhoud', 'gepland', 'waarschuwing', 'team', 'afdeling', 'klant', 'leverancier', 'contract', 'factuur', 'bestelling', 'levering',
  'hardware', 'vervanging', 'reparatie', 'garantie', 'kapot', 'beschadigd', 'kwijt', 'gestolen', 'versleutelen', 'versleuteling',
  'geheugen', 'prestaties', 'vastlopen', 'crash', 'opstarten', 'afsluiten', 'stuurprogramma', 'versie', 'upgrade', 'migratie', 'archief',
  'bewaartermijn', 'beleid', 'beveiliging', 'privacy', 'gegevens', 'exporteren', 'importeren', 'spreadsheet', 'document', 'sjabloon',
  'scannen', 'kopiëren', 'afdrukken', 'wachtrij', 'toner', 'papier', 'papierstoring', 'lade', 'kleur', 'dubbelzijdig', 'beamer',
  'weergave', 'resolutie', 'geluid', 'volume', 'bluetooth', 'koppelen', 'mobiel', 'tablet', 'simkaart', 'voicemail', 'toestel', 'nummer',
  'adresboek', 'profiel', 'foto', 'naam', 'adres', 'indiensttreding', 'uitdiensttreding', 'nieuwkomer', 'vertrekker', 'training',
  'handleiding', 'stappenplan', 'procedure', 'escaleren', 'reactie', 'oplossing', 'omweg', 'bekend', 'probleem', 'vraag', 'antwoord',
  'terugkoppeling', 'enquête', 'sleutelgebruiker', 'beheerder', 'rol', 'eigenaar', 'lid', 'uitnodigen', 'gast', 'extern', 'domein',
  'proxy', 'firewall', 'poort', 'vertraging', 'bandbreedte', 'kanaal', 'chat', 'video', 'vergaderruimte', 'reservering', 'rooster',
  'tijdzone', 'privé', 'geïnstalleerd', 'categorieën', 'ideeën', 'coördinator', 'financiële', 'geüpdatet', 'beëindigen', 'één', 'café',
  'reëel', 'geïnteresseerd', 'patiënt', 'zoëven', 'vergeten', 'veranderen', 'aanpassen', 'aanvragen', 'inschakelen', 'uitschakelen',
];

const firsts = [
  'printer', 'netwerk', 'wachtwoord', 'account', 'scherm', 'mail', 'agenda', 'toegangs', 'licentie', 'telefoon', 'kantoor', 'gebruikers',
  'beveiligings', 'software', 'laptop', 'vergader', 'afdelings', 'project', 'klant', 'server', 'data', 'thuiswerk', 'kopieer', 'archief',
  'systeem', 'sleutel', 'pas', 'verlof', 'factuur', 'contract', 'team', 'onderhouds', 'storings', 'aanvraag', 'bestands', 'profiel',
];
const seconds = [
  'wachtrij', 'instellingen', 'beheer', 'probleem', 'storing', 'melding', 'aanvraag', 'overzicht', 'beleid', 'rechten', 'schijf', 'map',
  'locatie', 'kaart', 'nummer', 'code', 'lijst', 'verbinding', 'omgeving', 'koppeling', 'sleutel', 'ruimte', 'kast', 'formulier',
  'procedure', 'venster', 'wijziging', 'verzoek', 'planning', 'rapport', 'gegevens', 'budget', 'historie', 'export', 'signaal',
];

/** A fixed shuffle, so the compounds' frequencies do not follow the alphabet. */
function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items];
  let x = 12345;
  for (let i = out.length - 1; i > 0; i--) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const j = x % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export const dutch: Lexicon = {
  language: 'nl',
  glue,
  content,
  tail: ['outlook', 'windows', 'teams', 'onedrive', 'citrix', 'anyconnect', 'kyocera', 'ricoh', 'lenovo', 'iphone', 'android', 'authenticator', 'topdesk', 'excel', 'sharepoint', 'exact', 'afas', 'digid', 'eherkenning', ...shuffled(compounds(firsts, seconds))],
  openers: ['Hoe', 'Hoe kan ik', 'Wat te doen als', 'Waarom', 'Kan niet', 'Probleem met', 'Aanvragen', 'Instellen van', 'Storing bij', 'Foutmelding bij', 'Wijzigen van', 'Werken met'],
  headings: ['Wat moet je doen', 'Voordat je begint', 'Stappen', 'Oorzaak', 'Oplossing', 'Werkt het nog niet', 'Goed om te weten', 'Wie kan helpen', 'Achtergrond', 'Controleer eerst', 'Bekende problemen', 'Volgende stappen'],
};
