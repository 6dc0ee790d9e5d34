import { compounds, type Lexicon } from './lexicon.js';

const glue = [
  'og', 'i', 'du', 'på', 'er', 'det', 'en', 'til', 'å', 'for', 'med', 'som', 'av', 'ikke', 'at', 'har', 'kan', 'den', 'eller', 'et', 'om',
  'fra', 'når', 'så', 'må', 'etter', 'ved', 'din', 'ditt', 'dine', 'deretter', 'hvis', 'hva', 'hvordan', 'vi',
];

const content = [
  'passord', 'konto', 'pålogging', 'tilgang', 'epost', 'bærbar', 'forespørsel', 'portal', 'skjerm', 'nettverk', 'skriver', 'vpn', 'bruker',
  'sak', 'telefon', 'oppdatering', 'fil', 'melding', 'postkasse', 'tilkobling', 'feilmelding', 'innstillinger', 'kollega', 'leder',
  'kalender', 'møte', 'nettleser', 'program', 'tilbakestille', 'enhet', 'logge', 'mappe', 'rettigheter', 'gruppe', 'installere',
  'programvare', 'trådløst', 'kontor', 'starte', 'sjekke', 'åpne', 'velge', 'fylle', 'kontakte', 'brukerstøtte', 'tjeneste', 'ny', 'feil',
  'låst', 'blokkert', 'utløpt', 'delt', 'disk', 'server', 'lisens', 'sikkerhetskopi', 'gjenopprette', 'tastatur', 'hodesett', 'kamera',
  'mikrofon', 'batteri', 'lader', 'dokkingstasjon', 'kabel', 'pult', 'adgangskort', 'bygning', 'parkering', 'klikke', 'skrive', 'vente',
  'prøve', 'ringe', 'spørre', 'sende', 'motta', 'lagre', 'slette', 'endre', 'legge', 'fjerne', 'koble', 'synkronisere', 'laste', 'godkjenne',
  'treg', 'rask', 'personlig', 'sikker', 'tilgjengelig', 'mangler', 'riktig', 'gammel', 'lenke', 'side', 'knapp', 'meny', 'vindu', 'kode',
  'app', 'tofaktor', 'sertifikat', 'hjemmekontor', 'internett', 'ruter', 'lagring', 'kvote', 'full', 'vedlegg', 'størrelse', 'grense',
  'innboks', 'søppelpost', 'svindel', 'mistenkelig', 'videresende', 'svare', 'signatur', 'stedfortreder', 'ferie', 'fravær', 'søknad',
  'godkjenning', 'skjema', 'felt', 'obligatorisk', 'status', 'prioritet', 'haster', 'driftsavbrudd', 'vedlikehold', 'varsel', 'avdeling',
  'kunde', 'leverandør', 'kontrakt', 'faktura', 'bestilling', 'maskinvare', 'reparasjon', 'garanti', 'ødelagt', 'mistet', 'stjålet',
  'kryptering', 'minne', 'ytelse', 'fryser', 'oppstart', 'driver', 'versjon', 'oppgradering', 'arkiv', 'retningslinjer', 'sikkerhet',
  'personvern', 'data', 'dokument', 'mal', 'skanne', 'kopiere', 'skrive', 'utskrift', 'kø', 'toner', 'papir', 'papirstopp', 'skuff',
  'farge', 'projektor', 'lyd', 'volum', 'mobil', 'nettbrett', 'simkort', 'nummer', 'profil', 'bilde', 'navn', 'adresse', 'nyansatt',
  'opplæring', 'veiledning', 'sjekkliste', 'rutine', 'løsning', 'kjent', 'problem', 'spørsmål', 'svar', 'nøkkelbruker', 'administrator',
  'rolle', 'eier', 'medlem', 'invitere', 'gjest', 'ekstern', 'brannmur', 'forsinkelse', 'kanal', 'video', 'møterom', 'reservasjon',
  'glemt', 'brukernavn', 'nødvendig', 'påminnelse', 'særskilt', 'fødselsnummer', 'bankid', 'høyre', 'økt', 'tidssone',
];

const firsts = ['skriver', 'nettverks', 'passord', 'konto', 'skjerm', 'epost', 'kalender', 'tilgangs', 'lisens', 'telefon', 'kontor', 'bruker', 'sikkerhets', 'møte', 'avdelings', 'prosjekt', 'kunde', 'server', 'data', 'arkiv'];
const seconds = ['kø', 'innstillinger', 'administrasjon', 'problem', 'feil', 'melding', 'søknad', 'oversikt', 'regler', 'rettigheter', 'disk', 'mappe', 'kort', 'nummer', 'kode', 'liste', 'tilkobling', 'nøkkel', 'rom', 'skjema'];

export const norwegian: Lexicon = {
  language: 'nb',
  glue,
  content,
  tail: ['outlook', 'windows', 'teams', 'onedrive', 'citrix', 'iphone', 'android', 'authenticator', 'excel', 'altinn', 'visma', 'tripletex', ...compounds(firsts, seconds)],
  openers: ['Hvordan', 'Hvordan kan jeg', 'Hva gjør jeg når', 'Hvorfor', 'Kan ikke', 'Problem med', 'Bestille', 'Sette opp', 'Feil ved', 'Endre', 'Bruke'],
  headings: ['Hva du gjør', 'Før du begynner', 'Steg for steg', 'Årsak', 'Løsning', 'Virker det fortsatt ikke', 'Greit å vite', 'Hvem kan hjelpe', 'Bakgrunn', 'Sjekk først', 'Kjente problemer'],
};
