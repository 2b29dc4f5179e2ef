import { useEffect, useState } from 'react';
import type { Customer } from '../../../sync/schema/index.ts';
import { useCore } from '../core-context.tsx';

/** Customers by id, live: projects show their customer's name and a new project picks one. */
export function useCustomers(): Map<string, Customer> {
  const core = useCore();
  const [customers, setCustomers] = useState<Map<string, Customer>>(new Map());
  useEffect(() => {
    const collection = core.customers();
    if (!collection) return;
    const sub = collection.find().$.subscribe((docs) => setCustomers(new Map(docs.map((doc) => [doc.id, doc.toJSON() as Customer]))));
    return () => sub.unsubscribe();
  }, [core]);
  return customers;
}
