import type { Actor } from '../access/actor.js';
import { faqAudience, type CategoryAccessFacts, type FaqAudience } from '../access/faq-access.js';
import { requireCapability } from '../access/policy.js';
import type { GroupStore } from '../access/groups/store.js';
import type { AuditService, AuditSubject } from '../audit/service.js';
import type { RunInTransaction, Tx } from '../db/transaction.js';
import { notFound, ruleViolation } from '../errors.js';
import { parseInput } from '../web/validate.js';
import type { CategoryStore, CategoryValues } from './category-store.js';
import { categoryCreateSchema, categoryPatchSchema, type Category } from './schema.js';

/** A category as people and the API see it: parent and group by name, never by row id. */
export interface CategoryView {
  slug: string;
  name: string;
  parent: string | null;
  group: string | null;
  position: number;
  comment: string;
  validity: Category['validity'];
  version: number;
  /** Slugs from the root down to this category. */
  path: string[];
}

const MAX_DEPTH = 10;

/** The tree in one read: lookups by id and slug, ancestors, descendants and each category's effective group. */
export class CategoryTree {
  readonly byId: ReadonlyMap<number, Category>;
  readonly bySlug: ReadonlyMap<string, Category>;

  constructor(readonly all: readonly Category[]) {
    this.byId = new Map(all.map((c) => [c.id, c]));
    this.bySlug = new Map(all.map((c) => [c.slug, c]));
  }

  ancestors(category: Category): Category[] {
    const chain: Category[] = [];
    for (let c: Category | undefined = category; c && chain.length <= MAX_DEPTH; c = c.parentId === null ? undefined : this.byId.get(c.parentId)) chain.unshift(c);
    return chain;
  }

  /** The category and everything below it. */
  descendantIds(id: number): number[] {
    const ids = [id];
    // for-of visits the ids pushed while it runs, so this walks the whole branch.
    for (const current of ids) for (const c of this.all) if (c.parentId === current && !ids.includes(c.id)) ids.push(c.id);
    return ids;
  }

  children(parentId: number | null): Category[] {
    return this.all.filter((c) => c.parentId === parentId);
  }

  /** A category is readable only when it and every ancestor are valid; its group is the nearest one set. */
  accessFacts(): CategoryAccessFacts[] {
    return this.all.map((c) => {
      const chain = this.ancestors(c);
      return { id: c.id, valid: chain.every((a) => a.validity === 'valid'), effectiveGroup: [...chain].reverse().find((a) => a.group !== null)?.group ?? null };
    });
  }

  view(c: Category): CategoryView {
    const parent = c.parentId === null ? null : (this.byId.get(c.parentId)?.slug ?? null);
    return { slug: c.slug, name: c.name, parent, group: c.group, position: c.position, comment: c.comment, validity: c.validity, version: c.version, path: this.ancestors(c).map((a) => a.slug) };
  }
}

export function createCategoryService(deps: { store: CategoryStore; groups: GroupStore; audit: AuditService; transaction: RunInTransaction }) {
  const tree = async (tx?: Tx) => new CategoryTree(await deps.store.all(tx));

  async function groupId(name: string | null | undefined, tx: Tx): Promise<number | null | undefined> {
    if (name === undefined) return undefined;
    if (name === null) return null;
    const group = await deps.groups.groups.findByName(name, tx);
    if (!group) throw ruleViolation(`There is no group named ${name}.`, 'group', 'unknown_group');
    return group.id;
  }

  function parentId(slug: string | null | undefined, t: CategoryTree, self: Category | null): number | null | undefined {
    if (slug === undefined) return undefined;
    if (slug === null) return null;
    const parent = t.bySlug.get(slug);
    if (!parent) throw ruleViolation(`There is no category ${slug}.`, 'parent', 'unknown_category');
    // Moving a category below itself would cut its branch off the tree.
    if (self && t.descendantIds(self.id).includes(parent.id)) throw ruleViolation('A category cannot move below itself.', 'parent', 'category_cycle');
    if (t.ancestors(parent).length >= MAX_DEPTH) throw ruleViolation(`Categories nest at most ${MAX_DEPTH} deep.`, 'parent', 'too_deep');
    return parent.id;
  }

  return {
    tree,

    /** The reader's audience, from the current tree (a category made invalid hides its articles at once). */
    async audienceFor(actor: Actor | null): Promise<{ audience: FaqAudience; tree: CategoryTree }> {
      const t = await tree();
      return { audience: faqAudience(actor, t.accessFacts()), tree: t };
    },

    async get(slug: string): Promise<{ category: Category; tree: CategoryTree }> {
      const t = await tree();
      const category = t.bySlug.get(slug);
      if (!category) throw notFound(`No FAQ category ${slug}.`);
      return { category, tree: t };
    },

    async create(actor: Actor, input: unknown, subject: AuditSubject): Promise<CategoryView> {
      requireCapability(actor, 'faq.category.manage');
      const values = parseInput(categoryCreateSchema, input);
      return deps.transaction(async (tx) => {
        const t = await tree(tx);
        const id = await deps.store.insert(
          { slug: values.slug, name: values.name, parent_id: parentId(values.parent, t, null) ?? null, group_id: (await groupId(values.group, tx)) ?? null, position: values.position, comment: values.comment, validity: values.validity },
          tx,
        );
        const created = (await tree(tx)).view((await deps.store.findBySlug(values.slug, tx))!);
        await deps.audit.record(subject, { action: 'faq-category.create', objectType: 'faq-category', objectId: id, after: created }, tx);
        return created;
      });
    },

    async update(actor: Actor, slug: string, input: unknown, subject: AuditSubject, expectedVersion?: number): Promise<CategoryView> {
      requireCapability(actor, 'faq.category.manage');
      const { version, parent, group, ...rest } = parseInput(categoryPatchSchema, input);
      return deps.transaction(async (tx) => {
        const t = await tree(tx);
        const current = t.bySlug.get(slug);
        if (!current) throw notFound(`No FAQ category ${slug}.`);
        const values: CategoryValues = { ...rest };
        const parentValue = parentId(parent, t, current);
        if (parentValue !== undefined) values.parent_id = parentValue;
        const groupValue = await groupId(group, tx);
        if (groupValue !== undefined) values.group_id = groupValue;
        await deps.store.update(current.id, values, expectedVersion ?? version ?? current.version, tx);
        const after = await tree(tx);
        const updated = after.view(after.byId.get(current.id)!);
        await deps.audit.record(subject, { action: 'faq-category.update', objectType: 'faq-category', objectId: current.id, before: t.view(current), after: updated }, tx);
        return updated;
      });
    },
  };
}

export type CategoryService = ReturnType<typeof createCategoryService>;
