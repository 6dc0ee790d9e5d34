import type { Lexicon } from './lexicon.js';

const glue = [
  'the', 'to', 'you', 'a', 'and', 'your', 'of', 'in', 'is', 'for', 'on', 'it', 'if', 'with', 'this', 'that', 'can', 'be', 'or', 'not',
  'from', 'then', 'when', 'after', 'are', 'at', 'will', 'as', 'have', 'by', 'an', 'do', 'still', 'no', 'more', 'only', 'before', 'into',
  'so', 'again', 'about', 'which', 'also', 'first', 'there', 'all', 'we', 'our', 'what', 'how',
];

const content = [
  'password', 'account', 'sign', 'access', 'email', 'laptop', 'request', 'portal', 'screen', 'network', 'printer', 'vpn', 'user', 'ticket',
  'phone', 'update', 'file', 'message', 'mailbox', 'connection', 'error', 'settings', 'colleague', 'manager', 'calendar', 'meeting', 'browser',
  'application', 'reset', 'device', 'login', 'folder', 'permission', 'group', 'install', 'software', 'wifi', 'office', 'restart', 'check',
  'open', 'select', 'choose', 'enter', 'contact', 'helpdesk', 'service', 'new', 'wrong', 'locked', 'expired', 'shared', 'drive', 'server',
  'license', 'backup', 'restore', 'keyboard', 'monitor', 'headset', 'camera', 'microphone', 'battery', 'charger', 'dock', 'cable', 'desk',
  'badge', 'building', 'parking', 'click', 'type', 'wait', 'try', 'call', 'ask', 'send', 'receive', 'save', 'delete', 'change', 'add',
  'remove', 'connect', 'disconnect', 'sync', 'download', 'upload', 'approve', 'submit', 'slow', 'fast', 'blocked', 'personal', 'secure',
  'available', 'missing', 'correct', 'old', 'link', 'page', 'button', 'menu', 'window', 'code', 'app', 'authentication', 'factor', 'token',
  'certificate', 'home', 'remote', 'internet', 'router', 'cache', 'cookies', 'storage', 'quota', 'full', 'attachment', 'size', 'limit',
  'inbox', 'spam', 'phishing', 'report', 'suspicious', 'forward', 'reply', 'signature', 'delegate', 'deputy', 'holiday', 'absence',
  'leave', 'approval', 'form', 'field', 'required', 'status', 'priority', 'urgent', 'incident', 'outage', 'maintenance', 'scheduled',
  'notification', 'alert', 'team', 'department', 'customer', 'supplier', 'contract', 'invoice', 'order', 'delivery', 'hardware',
  'replacement', 'repair', 'warranty', 'broken', 'damaged', 'lost', 'stolen', 'encrypt', 'encryption', 'disk', 'memory', 'performance',
  'freeze', 'crash', 'startup', 'shutdown', 'boot', 'driver', 'version', 'upgrade', 'migration', 'archive', 'retention', 'policy',
  'security', 'privacy', 'data', 'export', 'import', 'spreadsheet', 'document', 'template', 'scan', 'copy', 'print', 'queue', 'toner',
  'paper', 'jam', 'tray', 'colour', 'duplex', 'projector', 'display', 'resolution', 'audio', 'sound', 'volume', 'bluetooth', 'pairing',
  'mobile', 'tablet', 'sim', 'roaming', 'voicemail', 'extension', 'number', 'directory', 'profile', 'photo', 'name', 'address', 'onboarding',
  'offboarding', 'starter', 'leaver', 'training', 'manual', 'guide', 'checklist', 'procedure', 'escalate', 'escalation', 'response',
  'resolution', 'workaround', 'known', 'issue', 'problem', 'question', 'answer', 'feedback', 'survey', 'rating', 'key', 'user', 'admin',
  'rights', 'role', 'owner', 'member', 'invite', 'guest', 'external', 'domain', 'proxy', 'firewall', 'port', 'dns', 'ip', 'latency',
  'bandwidth', 'sharepoint', 'channel', 'chat', 'video', 'conference', 'room', 'booking', 'reservation', 'schedule', 'time', 'zone',
];

const products = [
  'outlook', 'windows', 'teams', 'onedrive', 'citrix', 'anyconnect', 'globalprotect', 'fortinet', 'kyocera', 'ricoh', 'xerox', 'lenovo',
  'thinkpad', 'latitude', 'elitebook', 'surface', 'iphone', 'android', 'authenticator', 'yubikey', 'okta', 'jira', 'confluence',
  'salesforce', 'topdesk', 'teamviewer', 'zoom', 'webex', 'slack', 'chrome', 'firefox', 'safari', 'macos', 'ubuntu', 'bitlocker',
  'filevault', 'intune', 'autopilot', 'defender', 'sophos', 'mimecast', 'proofpoint', 'docusign', 'acrobat', 'visio', 'powerbi',
  'tableau', 'excel', 'powerpoint', 'onenote', 'planner', 'exchange', 'azure', 'entra', 'kerberos', 'radius', 'dhcp', 'wpa2', 'eduroam',
  'thunderbolt', 'displaylink', 'usbc', 'hdmi', 'displayport', 'plantronics', 'jabra', 'logitech', 'dell', 'samsung', 'pixel',
];

/** Hexadecimal error codes as Windows and Office print them: each one rare, together a long tail. */
function errorCodes(count: number): string[] {
  const codes: string[] = [];
  // A fixed linear congruential walk: the same codes every run, spread over the 16-bit space.
  let x = 0x2f1b;
  for (let i = 0; i < count; i++) {
    x = (x * 1103 + 4099) % 65536;
    codes.push(`0x8007${x.toString(16).padStart(4, '0')}`);
  }
  return codes;
}

export const english: Lexicon = {
  language: 'en',
  glue,
  content,
  tail: [...products, ...errorCodes(1400)],
  openers: ['How to', 'How do I', 'What to do when', 'Why does', 'Cannot', 'Problem with', 'Request', 'Setting up', 'Troubleshooting', 'Error when', 'Changing', 'Using'],
  headings: ['What to do', 'Before you start', 'Steps', 'Cause', 'Solution', 'Still not working', 'Good to know', 'Who can help', 'Background', 'Check first', 'Known issues', 'Next steps'],
};
