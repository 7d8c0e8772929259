// A radio group styled as a segmented control: arrow keys move between ranges, as for native radios. Each
// group on a page needs its own `name`: radios sharing one form a single group across the page.
export function RangePicker<T extends string>({ value, options, onChange, label, name = 'range' }: { value: T; options: readonly T[]; onChange: (v: T) => void; label: string; name?: string }) {
  return (
    <fieldset className="segmented">
      <legend>{label}</legend>
      {options.map((option) => (
        <label key={option} className={option === value ? 'selected' : ''}>
          <input type="radio" name={name} value={option} checked={option === value} onChange={() => onChange(option)} />
          {option}
        </label>
      ))}
    </fieldset>
  );
}
