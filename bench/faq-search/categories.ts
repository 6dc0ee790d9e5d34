/**
 * The generated category tree: 8 top-level categories with 25 below them, beside the 7 the shipped kb/
 * brings. Slugs differ from kb/'s. Articles spread over them unevenly (see ./articles.ts), so some
 * categories hold thousands of articles, as the busiest ones of a real helpdesk do.
 */
export interface GeneratedCategory {
  slug: string;
  name: string;
  parent?: string;
}

const tree: [GeneratedCategory, GeneratedCategory[]][] = [
  [{ slug: 'printing', name: 'Printing and scanning' }, [
    { slug: 'printers-office', name: 'Office printers' },
    { slug: 'printers-scanning', name: 'Scanning to e-mail and folders' },
    { slug: 'printers-toner', name: 'Toner and paper' },
  ]],
  [{ slug: 'network', name: 'Network and internet' }, [
    { slug: 'network-wifi', name: 'Wi-Fi' },
    { slug: 'network-cabled', name: 'Cabled network' },
    { slug: 'network-guest', name: 'Guest access' },
  ]],
  [{ slug: 'software', name: 'Software' }, [
    { slug: 'software-install', name: 'Installing software' },
    { slug: 'software-licences', name: 'Licences' },
    { slug: 'software-office-apps', name: 'Office applications' },
    { slug: 'software-business-apps', name: 'Business applications' },
  ]],
  [{ slug: 'hardware', name: 'Hardware' }, [
    { slug: 'hardware-laptops', name: 'Laptops' },
    { slug: 'hardware-monitors', name: 'Monitors and docking stations' },
    { slug: 'hardware-peripherals', name: 'Keyboards, mice and headsets' },
    { slug: 'hardware-repairs', name: 'Repairs and replacements' },
  ]],
  [{ slug: 'phones', name: 'Phones' }, [
    { slug: 'phones-mobile', name: 'Mobile phones' },
    { slug: 'phones-desk', name: 'Desk phones' },
    { slug: 'phones-voicemail', name: 'Voicemail' },
  ]],
  [{ slug: 'security', name: 'Security' }, [
    { slug: 'security-phishing', name: 'Phishing and suspicious mail' },
    { slug: 'security-encryption', name: 'Encryption' },
    { slug: 'security-devices', name: 'Lost and stolen devices' },
  ]],
  [{ slug: 'collaboration', name: 'Working together' }, [
    { slug: 'collab-teams', name: 'Teams and chat' },
    { slug: 'collab-sharepoint', name: 'SharePoint and shared files' },
    { slug: 'collab-meetings', name: 'Meetings and rooms' },
  ]],
  [{ slug: 'hr-services', name: 'HR services' }, [
    { slug: 'hr-onboarding', name: 'Joining and leaving' },
    { slug: 'hr-leave', name: 'Leave and absence' },
  ]],
];

/** Parents before their children. */
export const GENERATED_CATEGORIES: GeneratedCategory[] = tree.flatMap(([top, children]) => [top, ...children.map((c) => ({ ...c, parent: top.slug }))]);

/** The groups kb/categories.yaml names; they must exist before kb/ is imported. */
export const KB_GROUPS = ['users', 'facilities', 'it-support'];
